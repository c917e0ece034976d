import HeraldDomain
import Testing

/// A generator that always returns the same value, to pin jitter to its bounds.
struct FixedGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(500), maxBackoff: .seconds(4))

    @Test func backoffCeilingDoublesAndIsCapped() {
        let ceilings = (1...6).map { policy.backoffCeiling(afterFailedAttempts: $0) }
        #expect(ceilings == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
    }

    @Test func fullJitterStaysWithinZeroAndTheCeiling() {
        var random = SystemRandomNumberGenerator()
        for failures in 1...10 {
            let ceiling = policy.backoffCeiling(afterFailedAttempts: failures)
            for _ in 0..<200 {
                let delay = policy.backoff(afterFailedAttempts: failures, using: &random)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
    }

    @Test func jitterReachesBothEnds() {
        var low = FixedGenerator(value: 0)
        var high = FixedGenerator(value: .max)
        #expect(policy.backoff(afterFailedAttempts: 2, using: &low) == .zero)
        let nearlyCeiling = policy.backoff(afterFailedAttempts: 2, using: &high)
        #expect(nearlyCeiling <= .seconds(1) && nearlyCeiling > .seconds(1) - .microseconds(1))
    }

    @Test func hugeAttemptCountsDoNotOverflow() {
        #expect(policy.backoffCeiling(afterFailedAttempts: 10_000) == .seconds(4))
    }

    @Test func sentCountsTheAttempt() {
        var random = SystemRandomNumberGenerator()
        #expect(policy.decide(after: .sent, attemptsBefore: 1, rateLimitedFor: .zero, using: &random)
            == .markSent(attempts: 2))
    }

    @Test func transientFailuresRetryUntilMaxAttemptsThenFail() {
        var random = FixedGenerator(value: .max)
        let first = policy.decide(after: .retry(reason: "503"), attemptsBefore: 0, rateLimitedFor: .zero, using: &random)
        guard case .retry(1, let firstWait, "503", false) = first else { Issue.record("got \(first)"); return }
        #expect(firstWait <= .milliseconds(500) && firstWait > .milliseconds(499))
        let second = policy.decide(after: .retry(reason: "503"), attemptsBefore: 1, rateLimitedFor: .zero, using: &random)
        guard case .retry(2, let secondWait, "503", false) = second else { Issue.record("got \(second)"); return }
        #expect(secondWait <= .seconds(1) && secondWait > .milliseconds(999))
        guard case .fail(let attempts, _) = policy.decide(
            after: .retry(reason: "503"), attemptsBefore: 2, rateLimitedFor: .zero, using: &random)
        else { Issue.record("the third failure must give up"); return }
        #expect(attempts == 3)
    }

    @Test func permanentFailureNeverRetries() {
        var random = SystemRandomNumberGenerator()
        #expect(policy.decide(after: .failed(reason: "400"), attemptsBefore: 0, rateLimitedFor: .zero, using: &random)
            == .fail(attempts: 1, reason: "400"))
    }

    @Test func rateLimitedWaitsRetryAfterWithoutUsingAnAttempt() {
        var random = SystemRandomNumberGenerator()
        let decision = policy.decide(
            after: .rateLimited(retryAfter: .seconds(30), reason: "429"), attemptsBefore: 2, rateLimitedFor: .zero,
            using: &random)
        #expect(decision == .retry(attempts: 2, after: .seconds(30), reason: "429", isRateLimited: true))
    }

    @Test func rateLimitedWithoutRetryAfterUsesTheBackoff() {
        var random = FixedGenerator(value: 0)
        let decision = policy.decide(
            after: .rateLimited(retryAfter: nil, reason: "429"), attemptsBefore: 0, rateLimitedFor: .zero,
            using: &random)
        #expect(decision == .retry(attempts: 0, after: .zero, reason: "429", isRateLimited: true))
    }

    @Test func rateLimitedForMoreThanAnHourInTotalFails() {
        var random = SystemRandomNumberGenerator()
        let decision = policy.decide(
            after: .rateLimited(retryAfter: .seconds(120), reason: "429"), attemptsBefore: 1,
            rateLimitedFor: .seconds(3500), using: &random)
        guard case .fail(let attempts, _) = decision else { Issue.record("expected failure, got \(decision)"); return }
        #expect(attempts == 1)
    }

    @Test func maxAttemptsOfOneMeansASingleSend() {
        var random = SystemRandomNumberGenerator()
        let once = RetryPolicy(maxAttempts: 1)
        guard case .fail = once.decide(after: .retry(reason: "x"), attemptsBefore: 0, rateLimitedFor: .zero, using: &random)
        else { Issue.record("one attempt allows no retry"); return }
    }
}
