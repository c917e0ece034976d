public import HeraldDomain

/// Sends one message through one provider: the only protocol a new channel has to adopt.
///
/// Implementation requirements:
/// - Classify every answer: ``DeliveryOutcome/sent`` only when the provider accepted the message,
///   `.retry` for transient trouble, `.rateLimited` for `429`, `.failed` for permanent rejections.
/// - A thrown error counts as `.retry` with the error's description as the reason, so never put a
///   secret in an error.
/// - Be safe to call concurrently; one instance serves every worker.
public protocol NotificationChannel: Sendable {
    /// Sends `message` and reports how the provider answered.
    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome
}
