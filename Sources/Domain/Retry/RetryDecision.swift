/// What to do with a delivery after an attempt, as decided by ``RetryPolicy``.
public enum RetryDecision: Hashable, Sendable {
    /// Record it as sent; `attempts` counts the attempts used, this one included.
    case markSent(attempts: Int)
    /// Try again after `after`; `isRateLimited` attempts do not use up the budget.
    case retry(attempts: Int, after: Duration, reason: String, isRateLimited: Bool)
    /// Give up: record it as failed and dead-letter it with `reason`.
    case fail(attempts: Int, reason: String)
}
