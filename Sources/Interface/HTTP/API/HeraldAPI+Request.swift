extension HeraldAPI {
    /// A framework-neutral HTTP request: what ``HeraldAPI`` needs from any server (Herald's own, or a
    /// Vapor/Hummingbird route that copies its request into this value).
    public struct Request: Sendable {
        public var method: String
        /// The path without the query string (`/v1/notifications/ntf_…`).
        public var path: String
        /// The raw query string after `?`, if any.
        public var query: String?
        /// Headers in arrival order; names compare case-insensitively.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public init(method: String, path: String, query: String? = nil, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// Splits a request target (`/v1/x?a=b`) into path and query.
        public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            self.init(
                method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil, headers: headers,
                body: body)
        }

        /// The first header called `name`, case-insensitively.
        public func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }
    }
}
