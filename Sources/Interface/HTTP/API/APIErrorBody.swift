import Foundation
package import HeraldDomain

/// The error body of every failed request, `{"error": {"code", "message", "field"}}`, and the HTTP
/// status of each Herald error code (contract §5).
package enum APIErrorBody {
    /// The HTTP status a ``HeraldError`` is answered with.
    package static func status(for code: HeraldError.Code) -> Int {
        switch code {
        case .invalidJSON: 400
        case .notFound: 404
        case .methodNotAllowed, .notSupported: 405
        case .idempotencyKeyInProgress, .nothingToRetry, .nothingToCancel: 409
        case .bodyTooLarge: 413
        case .unsupportedMediaType: 415
        case .queueUnavailable, .queueFull, .userServiceUnavailable: 503
        case .invalidConfiguration: 500
        default: 422
        }
    }

    /// The response for `error`.
    package static func response(for error: HeraldError) -> HeraldAPI.Response {
        response(status: status(for: error.code), code: error.code.rawValue, message: error.message, field: error.field)
    }

    /// A JSON error response.
    package static func response(status: Int, code: String, message: String, field: String?) -> HeraldAPI.Response {
        let document: JSONValue = .object([
            "error": .object([
                "code": .string(code), "message": .string(message), "field": field.map(JSONValue.string) ?? .null,
            ])
        ])
        return .json(status, JSONBody.encode(document))
    }
}

/// Encodes ``JSONValue`` documents with stable key order.
enum JSONBody {
    static func encode(_ value: JSONValue) -> Data { Data(value.jsonText.utf8) }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
