public import Foundation
public import HeraldApplication
public import HeraldDomain
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts to a Slack incoming webhook: `{"text": ...}` with Slack's escaping of `&`, `<` and `>`.
/// `200` is sent; `429` rate limited; other `4xx` failed with Slack's error text (`invalid_payload`,
/// `no_service`); `5xx` and network errors retried. The webhook URL is a secret and never printed.
public struct SlackChannel: NotificationChannel, CustomStringConvertible {
    private let webhookURL: URL
    private let transport: HTTPTransport
    private let scrubber: SecretScrubber

    /// - Parameter timeout: how long one request may take, connecting included.
    public init(webhookURL: URL, timeout: Duration = .seconds(10)) {
        self.init(webhookURL: webhookURL, transport: HTTPTransport(timeout: timeout))
    }

    package init(webhookURL: URL, transport: HTTPTransport) {
        self.webhookURL = webhookURL
        self.transport = transport
        self.scrubber = SecretScrubber(SecretScrubber.urlSecrets(webhookURL))
    }

    public var description: String { "SlackChannel(webhook: \(webhookURL.scheme ?? "https")://\(webhookURL.host ?? "")/***)" }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        var request = URLRequest(url: webhookURL)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["text": Self.text(for: message)])
        return try await transport.deliver(request, provider: "Slack", accepted: [200], scrubbing: scrubber) { $0.bodyText() }
    }

    /// The message text: the subject in bold on its own line, then the body, escaped for Slack.
    package static func text(for message: OutgoingMessage) -> String {
        let body = escape(message.body)
        guard let subject = message.subject, !subject.isEmpty else { return body }
        return "*\(escape(subject))*\n\(body)"
    }

    /// Slack's escaping: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`.
    package static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
