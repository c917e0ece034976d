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

extension RetryDecision {
    /// What the attempt that led to this decision meant, for the delivery's timeline.
    public var attemptOutcome: DeliveryAttempt.Outcome {
        switch self {
        case .markSent: .sent
        case .retry(_, _, _, let isRateLimited): isRateLimited ? .rateLimited : .retry
        case .fail: .failed
        }
    }

    /// The reason of a retry or a failure; nil when sent.
    public var reason: String? {
        switch self {
        case .markSent: nil
        case .retry(_, let reason, _, _), .fail(let reason): reason
        }
    }
}
