/// Looks up idempotency keys. Keys are claimed by ``NotificationIntake/enqueue(_:)`` atomically with
/// the notification they name; expired keys are never returned.
public protocol IdempotencyStore: Sendable {
    /// The entry for `key`, or nil when the key is unused or expired.
    func entry(for key: String) async throws -> IdempotencyEntry?
}
