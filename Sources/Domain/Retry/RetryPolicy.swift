public import Foundation

/// When to try a delivery again: exponential backoff with full jitter, capped, for at most
/// ``maxAttempts`` attempts. Rate-limited answers wait without using up an attempt, for a wait that
/// grows with each one in a row, and fail once the streak has lasted ``rateLimitGiveUpAfter``.
public struct RetryPolicy: Hashable, Sendable {
    /// Every attempt counts, the first included (3 means at most three sends).
    public var maxAttempts: Int
    /// The backoff ceiling after the first failed attempt, and the first wait after a rate-limited answer.
    public var initialBackoff: Duration
    /// The largest backoff ceiling, however many attempts failed.
    public var maxBackoff: Duration
    /// How long (wall time since the first of a streak of rate-limited answers) a delivery may stay
    /// rate limited before it fails.
    public var rateLimitGiveUpAfter: Duration

    public init(
        maxAttempts: Int = 5,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(60),
        rateLimitGiveUpAfter: Duration = .seconds(3600)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = max(initialBackoff, maxBackoff)
        self.rateLimitGiveUpAfter = rateLimitGiveUpAfter
    }

    /// The backoff ceiling after `failedAttempts` failures: `initial × 2^(failedAttempts-1)`, capped.
    public func backoffCeiling(afterFailedAttempts failedAttempts: Int) -> Duration {
        let exponent = min(max(failedAttempts - 1, 0), 40)
        return min(initialBackoff * (1 << exponent), maxBackoff)
    }

    /// A delay drawn uniformly from `0...ceiling` ("full jitter"), which spreads retries of many
    /// deliveries that failed together instead of retrying them in lockstep.
    public func backoff(
        afterFailedAttempts failedAttempts: Int, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let ceiling = backoffCeiling(afterFailedAttempts: failedAttempts)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        let fraction = Double(generator.next() >> 11) * 0x1p-53
        return .nanoseconds(Int64((Double(nanoseconds) * fraction).rounded(.down)))
    }

    /// The wait after the `streak`-th rate-limited answer in a row. A `Retry-After` in the future is
    /// honoured (never below ``initialBackoff``); none, `0` or a date in the past waits
    /// `initial × 2^(streak-1)` without jitter, capped at ``maxBackoff``, so a provider answering
    /// `Retry-After: 0` is asked less and less often instead of thousands of times a second.
    public func rateLimitWait(retryAfter: Duration?, streak: Int) -> Duration {
        if let retryAfter, retryAfter > .zero { return max(retryAfter, initialBackoff) }
        return backoffCeiling(afterFailedAttempts: streak)
    }

    /// Decides what follows an attempt.
    /// - Parameters:
    ///   - outcome: what the channel reported.
    ///   - progress: the delivery's state before this attempt.
    ///   - now: when the answer came; the rate-limit give-up is measured in wall time.
    public func decide(
        after outcome: DeliveryOutcome,
        progress: DeliveryProgress,
        now: Date,
        using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        switch outcome {
        case .sent:
            return .markSent
        case .failed(let reason), .addressGone(let reason):
            return .fail(reason: reason)
        case .retry(let reason):
            let attempts = progress.attempts + 1
            guard attempts < maxAttempts else {
                return .fail(reason: "gave up after \(attempts) attempts: \(reason)")
            }
            return .retry(
                after: backoff(afterFailedAttempts: attempts, using: &generator), reason: reason,
                progress: DeliveryProgress(attempts: attempts), isRateLimited: false)
        case .rateLimited(let retryAfter, let reason):
            let since = progress.rateLimitedSince ?? now
            let limitedFor = now.timeIntervalSince(since)
            guard limitedFor < rateLimitGiveUpAfter.timeInterval else {
                return .fail(reason: "still rate limited after \(Int(limitedFor)) s: \(reason)")
            }
            let streak = progress.rateLimitStreak + 1
            return .retry(
                after: rateLimitWait(retryAfter: retryAfter, streak: streak), reason: reason,
                progress: DeliveryProgress(attempts: progress.attempts, rateLimitStreak: streak, rateLimitedSince: since),
                isRateLimited: true)
        }
    }
}
