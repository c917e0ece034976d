public import Foundation

extension HeraldAPI {
    /// A framework-neutral HTTP response produced by ``HeraldAPI``.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// A JSON response (`application/json; charset=utf-8`).
        public static func json(_ status: Int, _ data: Data, headers: [(name: String, value: String)] = []) -> Response {
            Response(
                status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: Array(data))
        }

        /// An error answer with the contract's body, `{"error": {"code", "message", "field": null}}`: what a host
        /// adapter sends for a failure of its own (a body over ``HeraldAPI/maxBodyBytes`` is `413 body_too_large`).
        public static func error(status: Int, code: String, message: String) -> Response {
            APIErrorBody.response(status: status, code: code, message: message, field: nil)
        }

        /// A plain-text response.
        public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
            Response(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }

        /// The first header called `name`, case-insensitively.
        public func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }

        /// The standard reason phrase of `status`.
        public static func reason(_ status: Int) -> String {
            switch status {
            case 100: "Continue"
            case 200: "OK"
            case 202: "Accepted"
            case 204: "No Content"
            case 400: "Bad Request"
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 405: "Method Not Allowed"
            case 408: "Request Timeout"
            case 409: "Conflict"
            case 411: "Length Required"
            case 413: "Content Too Large"
            case 414: "URI Too Long"
            case 415: "Unsupported Media Type"
            case 422: "Unprocessable Content"
            case 431: "Request Header Fields Too Large"
            case 500: "Internal Server Error"
            case 501: "Not Implemented"
            case 503: "Service Unavailable"
            case 505: "HTTP Version Not Supported"
            default: "Status \(status)"
            }
        }
    }
}
