package import Herald

/// What every framework adapter of this package shares: the routes it registers and the answer to a body it
/// stopped reading. `package` access: a host never imports this target.
extension HeraldAPI {
    /// The methods an adapter routes to Herald, so that Herald (not the framework) answers `405` with `Allow`.
    package static let routedMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// The mount prefix as path components (`"/notify/"` → `["notify"]`; `"/"` → `[]`).
    package static func pathComponents(of prefix: String) -> [String] {
        prefix.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The contract's `413 body_too_large` for a request whose body the adapter stopped reading past
    /// ``maxBodyBytes``, with the caller's `X-Request-Id` echoed, counted and logged as a server rejection.
    package func bodyTooLargeResponse(for head: Request) -> Response {
        recordServerRejection(status: 413, reason: "body_too_large")
        var response = Response.error(
            status: 413, code: "body_too_large", message: "the body is larger than \(maxBodyBytes) bytes")
        response.headers.append((name: "X-Request-Id", value: Self.echoedRequestID(of: head)))
        return response
    }

    /// The caller's `X-Request-Id` under the same rule as ``handle(_:)`` (1–64 printable ASCII characters),
    /// else a new `req_…` id.
    private static func echoedRequestID(of head: Request) -> String {
        if let given = head.header("X-Request-Id"), !given.isEmpty, given.utf8.count <= 64,
            given.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 })
        {
            return given
        }
        return "req_" + NotificationID.generate().rawValue.dropFirst(4).prefix(16)
    }
}
