public import Foundation
public import HeraldApplication
public import HeraldDomain
import HeraldCrypto
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts the rendered notification as JSON to a URL with Standard Webhooks headers: `webhook-id` (the
/// delivery id, stable across retries), `webhook-timestamp`, and — with a secret — `webhook-signature`
/// (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`). `2xx` is sent; `410` failed; `429` rate
/// limited; `5xx` retried; other `4xx` failed.
public struct WebhookChannel: NotificationChannel, CustomStringConvertible {
    private let url: URL
    private let signingKey: [UInt8]?
    private let transport: HTTPTransport
    private let scrubber: SecretScrubber
    private let now: @Sendable () -> Date

    /// - Parameter secret: the signing secret; `whsec_<base64>` (the Standard Webhooks form) is decoded,
    ///   any other text is used as its UTF-8 bytes. Nil sends no signature.
    ///   The timeout is how long one request may take, connecting included.
    public init(url: URL, secret: String?, timeout: Duration = .seconds(10)) {
        self.init(url: url, secret: secret, transport: HTTPTransport(timeout: timeout))
    }

    package init(url: URL, secret: String?, transport: HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.signingKey = secret.map(Self.signingKey(from:))
        self.transport = transport
        self.now = now
        self.scrubber = SecretScrubber(SecretScrubber.urlSecrets(url) + (secret.map { [$0] } ?? []))
    }

    public var description: String {
        "WebhookChannel(url: \(url.scheme ?? "https")://\(url.host ?? "")/***, signed: \(signingKey != nil))"
    }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let id = message.deliveryID.description
        let timestamp = String(Int64(now().timeIntervalSince1970))
        let body = try Self.body(for: message)
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(id, forHTTPHeaderField: "webhook-id")
        request.setValue(timestamp, forHTTPHeaderField: "webhook-timestamp")
        if let signingKey {
            request.setValue(Self.signature(id: id, timestamp: timestamp, body: body, key: signingKey),
                             forHTTPHeaderField: "webhook-signature")
        }
        request.httpBody = body
        return try await transport.deliver(request, provider: "webhook", accepted: Set(200...299), scrubbing: scrubber) { $0.bodyText(limit: 200) }
    }

    /// The JSON body: id, notification_id, topic, subject, message, channel, recipient, attempt.
    package static func body(for message: OutgoingMessage) throws -> Data {
        let document: [String: Any] = [
            "id": message.deliveryID.description,
            "notification_id": message.deliveryID.notificationID.rawValue,
            "topic": message.topic?.rawValue ?? NSNull(),
            "subject": message.subject ?? NSNull(),
            "message": message.body,
            "channel": message.channel.rawValue,
            "recipient": message.recipients.first ?? NSNull(),
            "attempt": message.attempt,
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")).
    package static func signature(id: String, timestamp: String, body: Data, key: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + Array(body)
        return "v1," + Data(HMACSHA256.authenticationCode(for: signed, key: key)).base64EncodedString()
    }

    static func signingKey(from secret: String) -> [UInt8] {
        if secret.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.dropFirst(6))) {
            return Array(decoded)
        }
        return Array(secret.utf8)
    }
}
