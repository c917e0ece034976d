package import Foundation

/// What an HTTP provider answered: status, headers (lower-cased names) and body.
package struct ProviderResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as text, cut to `limit` characters, for failure reasons.
    package func bodyText(limit: Int = 300) -> String {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
