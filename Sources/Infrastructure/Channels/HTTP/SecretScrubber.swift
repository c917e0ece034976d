package import Foundation

/// Removes known secrets (tokens, keys, webhook URL paths) from text that quotes a provider's answer, so
/// a provider echoing a secret back never puts it into `last_error`, logs or status bodies.
package struct SecretScrubber: Sendable {
    private let secrets: [String]

    /// Secrets shorter than 4 characters are ignored (they would mangle ordinary words).
    package init(_ secrets: [String]) {
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    /// The secrets of a URL that carries them in its path (Slack webhooks): the whole URL, its path, and
    /// every path segment that looks like a token (6+ characters with a digit or an uppercase letter).
    package static func urlSecrets(_ url: URL) -> [String] {
        let tokens = url.pathComponents.filter { segment in
            segment.count >= 6 && segment.contains { $0.isNumber || $0.isUppercase }
        }
        return [url.absoluteString, url.path] + tokens + (url.query.map { [$0] } ?? [])
    }

    /// `text` with every secret replaced by `***`.
    package func scrub(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
