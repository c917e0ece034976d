/// When to try a delivery again: exponential backoff with full jitter, capped, for at most
/// ``maxAttempts`` attempts; rate-limited answers wait without using up an attempt.
public struct RetryPolicy: Hashable, Sendable {
    /// Every attempt counts, the first included (3 means at most three sends).
    public var maxAttempts: Int
    /// The backoff ceiling after the first failed attempt.
    public var initialBackoff: Duration
    /// The largest backoff ceiling, however many attempts failed.
    public var maxBackoff: Duration
    /// How long a delivery may stay rate limited, in total, before it fails.
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

    /// Decides what follows an attempt.
    /// - Parameters:
    ///   - outcome: what the channel reported.
    ///   - attemptsBefore: attempts already used before this one.
    ///   - rateLimitedFor: how long the delivery has waited on rate limits so far, in total.
    public func decide(
        after outcome: DeliveryOutcome,
        attemptsBefore: Int,
        rateLimitedFor: Duration,
        using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        switch outcome {
        case .sent:
            return .markSent(attempts: attemptsBefore + 1)
        case .failed(let reason):
            return .fail(attempts: attemptsBefore + 1, reason: reason)
        case .retry(let reason):
            let attempts = attemptsBefore + 1
            guard attempts < maxAttempts else {
                return .fail(attempts: attempts, reason: "gave up after \(attempts) attempts: \(reason)")
            }
            return .retry(attempts: attempts, after: backoff(afterFailedAttempts: attempts, using: &generator),
                          reason: reason, isRateLimited: false)
        case .rateLimited(let retryAfter, let reason):
            let wait = retryAfter ?? backoff(afterFailedAttempts: max(attemptsBefore, 1), using: &generator)
            guard rateLimitedFor + wait <= rateLimitGiveUpAfter else {
                return .fail(attempts: attemptsBefore, reason: "still rate limited after \(rateLimitedFor): \(reason)")
            }
            return .retry(attempts: attemptsBefore, after: wait, reason: reason, isRateLimited: true)
        }
    }
}
