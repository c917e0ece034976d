public import HeraldDomain

/// The error codes only the HTTP API produces: they describe a request's transport, not a notification, so
/// they live here rather than in the domain.
extension HeraldError.Code {
    /// The body is larger than `http.max_body_bytes` (`413`).
    public static var bodyTooLarge: Self { Self(layerCode: "body_too_large") }
    /// The body is not `application/json` (`415`).
    public static var unsupportedMediaType: Self { Self(layerCode: "unsupported_media_type") }
    /// The route exists but not for this method (`405`).
    public static var methodNotAllowed: Self { Self(layerCode: "method_not_allowed") }
}
