/// What to do with a delivery after an attempt, as decided by ``RetryPolicy``.
public enum RetryDecision: Hashable, Sendable {
    /// Record it as sent.
    case markSent
    /// Try again after `after`, with `progress` as the delivery's new state; `isRateLimited` says the
    /// provider asked to slow down (no attempt of the budget was used).
    case retry(after: Duration, reason: String, progress: DeliveryProgress, isRateLimited: Bool)
    /// Give up: record it as failed and dead-letter it with `reason`.
    case fail(reason: String)
}
