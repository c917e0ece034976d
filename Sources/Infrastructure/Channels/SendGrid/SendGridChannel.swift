public import Foundation
public import HeraldApplication
public import HeraldDomain
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends email through SendGrid's v3 API: `POST {base_url}/v3/mail/send` with a bearer key.
/// `202` is sent; `429` rate limited; `5xx` retried; other `4xx` failed with SendGrid's error messages.
public struct SendGridChannel: NotificationChannel, CustomStringConvertible {
    private let apiKey: String
    private let from: String
    private let endpoint: URL
    private let transport: HTTPTransport
    private let scrubber: SecretScrubber

    /// - Parameters:
    ///   - apiKey: the API key (a secret; never printed).
    ///   - from: the sender address.
    ///   - baseURL: `https://api.sendgrid.com`, or a compatible or test server.
    ///   - timeout: how long one request may take, connecting included.
    public init(apiKey: String, from: String, baseURL: URL, timeout: Duration = .seconds(10)) {
        self.init(apiKey: apiKey, from: from, baseURL: baseURL, transport: HTTPTransport(timeout: timeout))
    }

    package init(apiKey: String, from: String, baseURL: URL, transport: HTTPTransport) {
        self.apiKey = apiKey
        self.from = from
        self.endpoint = baseURL.appendingPathComponent("v3/mail/send")
        self.transport = transport
        self.scrubber = SecretScrubber([apiKey])
    }

    public var description: String { "SendGridChannel(from: \(from), endpoint: \(endpoint), apiKey: ***)" }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let document: [String: Any] = [
            "personalizations": [["to": message.recipients.map { ["email": $0] }]],
            "from": ["email": from],
            "subject": message.subject ?? message.topic?.rawValue ?? "Notification",
            "content": [["type": "text/plain", "value": message.body]],
        ]
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        return try await transport.deliver(request, provider: "SendGrid", accepted: [202], scrubbing: scrubber, reason: Self.errorMessages)
    }

    /// SendGrid's `{"errors": [{"message": ...}]}` joined, or the body text.
    static func errorMessages(_ response: ProviderResponse) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let errors = object["errors"] as? [[String: Any]]
        else { return response.bodyText() }
        return errors.compactMap { $0["message"] as? String }.joined(separator: "; ")
    }
}
