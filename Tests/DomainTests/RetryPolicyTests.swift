import Foundation
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

    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func sentIsMarkedSent() {
        var random = SystemRandomNumberGenerator()
        #expect(policy.decide(after: .sent, progress: DeliveryProgress(attempts: 1), now: now, using: &random) == .markSent)
    }

    @Test func transientFailuresRetryUntilTheBudgetIsUsed() {
        var random = SystemRandomNumberGenerator()
        let first = policy.decide(after: .retry(reason: "503"), progress: DeliveryProgress(), now: now, using: &random)
        guard case .retry(let wait, _, let progress, false) = first else { Issue.record("\(first)"); return }
        #expect(progress == DeliveryProgress(attempts: 1))
        #expect(wait <= .milliseconds(500))
        let second = policy.decide(after: .retry(reason: "503"), progress: progress, now: now, using: &random)
        guard case .retry(_, _, let next, _) = second else { Issue.record("\(second)"); return }
        #expect(next.attempts == 2)
        #expect(policy.decide(after: .retry(reason: "503"), progress: next, now: now, using: &random)
            == .fail(reason: "gave up after 3 attempts: 503"))
    }

    @Test func permanentFailureNeverRetries() {
        var random = SystemRandomNumberGenerator()
        #expect(policy.decide(after: .failed(reason: "400"), progress: DeliveryProgress(), now: now, using: &random)
            == .fail(reason: "400"))
    }

    @Test func rateLimitedWaitsRetryAfterWithoutUsingAnAttempt() {
        var random = SystemRandomNumberGenerator()
        let decision = policy.decide(
            after: .rateLimited(retryAfter: .seconds(30), reason: "429"), progress: DeliveryProgress(attempts: 2),
            now: now, using: &random)
        #expect(decision == .retry(
            after: .seconds(30), reason: "429",
            progress: DeliveryProgress(attempts: 2, rateLimitStreak: 1, rateLimitedSince: now), isRateLimited: true))
    }

    @Test(arguments: [nil, Duration.zero])
    func rateLimitedWithoutAUsefulRetryAfterDoublesFromTheInitialBackoffWithoutJitter(_ retryAfter: Duration?) {
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))
        var random = FixedGenerator(value: 0)
        var progress = DeliveryProgress()
        var waits: [Duration] = []
        for step in 0..<6 {
            let decision = policy.decide(
                after: .rateLimited(retryAfter: retryAfter, reason: "429"), progress: progress,
                now: now.addingTimeInterval(Double(step)), using: &random)
            guard case .retry(let wait, _, let next, true) = decision else { Issue.record("\(decision)"); return }
            waits.append(wait)
            progress = next
        }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(progress == DeliveryProgress(attempts: 0, rateLimitStreak: 6, rateLimitedSince: now))
    }

    @Test func aTransientFailureEndsARateLimitStreak() {
        var random = SystemRandomNumberGenerator()
        let limited = DeliveryProgress(attempts: 0, rateLimitStreak: 4, rateLimitedSince: now)
        guard case .retry(_, _, let progress, false) = policy.decide(
            after: .retry(reason: "503"), progress: limited, now: now, using: &random)
        else { Issue.record("expected a retry"); return }
        #expect(progress == DeliveryProgress(attempts: 1))
    }

    @Test func rateLimitedForAnHourOfWallTimeFailsHoweverShortTheRequestedWaits() {
        var random = SystemRandomNumberGenerator()
        let since = DeliveryProgress(attempts: 1, rateLimitStreak: 40, rateLimitedSince: now)
        let late = policy.decide(
            after: .rateLimited(retryAfter: .zero, reason: "429"), progress: since, now: now.addingTimeInterval(3600),
            using: &random)
        guard case .fail(let reason) = late else { Issue.record("expected failure, got \(late)"); return }
        #expect(reason.contains("still rate limited after 3600 s"))
        let early = policy.decide(
            after: .rateLimited(retryAfter: .zero, reason: "429"), progress: since, now: now.addingTimeInterval(3599),
            using: &random)
        guard case .retry = early else { Issue.record("expected a retry, got \(early)"); return }
    }

    @Test func maxAttemptsOfOneMeansASingleSend() {
        var random = SystemRandomNumberGenerator()
        let once = RetryPolicy(maxAttempts: 1)
        guard case .fail = once.decide(after: .retry(reason: "x"), progress: DeliveryProgress(), now: now, using: &random)
        else { Issue.record("one attempt allows no retry"); return }
    }
}
