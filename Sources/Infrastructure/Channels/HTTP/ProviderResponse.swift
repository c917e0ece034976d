public import Foundation

/// What an HTTP provider answered: status, headers (lower-cased names) and body.
public struct ProviderResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as text, cut to `limit` characters, for failure reasons.
    public func bodyText(limit: Int = 300) -> String {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
