import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Synchronization
import Testing

/// A channel that records when (on the manual clock) each message was sent.
final class TimedChannel: NotificationChannel {
    private let times = Mutex<[Date]>([])
    let clock: ManualClock

    init(clock: ManualClock) { self.clock = clock }

    var sendTimes: [Date] { times.withLock { $0 } }

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let now = clock.now
        times.withLock { $0.append(now) }
        return .sent
    }
}

/// A limiter that counts how often it is asked.
final class CountingLimiter: RateLimiter {
    private let inner: any RateLimiter
    private let count = Mutex(0)
    init(_ inner: any RateLimiter) { self.inner = inner }
    var calls: Int { count.withLock { $0 } }
    func acquire(_ channel: ChannelName, limit: RateLimit) async throws -> Duration? {
        count.withLock { $0 += 1 }
        return try await inner.acquire(channel, limit: limit)
    }
}

@Suite struct RateLimitTests {
    /// The waits of `count` sends taken one after another at the same instant from a full bucket.
    private func waits(of count: Int, from limit: RateLimit) -> [Double] {
        var bucket: (tokens: Double, at: Double)?
        return (0..<count).map { _ in
            let (next, wait) = limit.take(from: bucket, now: 100)
            bucket = next
            return wait
        }
    }

    @Test func tokenBucketAllowsABurstThenRefillsAtTheRate() {
        let limit = RateLimit(perSecond: 2, burst: 3)
        #expect(waits(of: 4, from: limit) == [0, 0, 0, 0.5])
        #expect(limit.take(from: (0, 100), now: 100.5).wait == 0)
        #expect(limit.take(from: (0, 0), now: 10_000).bucket.tokens == 2)
    }

    @Test func sendersInLineEachGetTheirOwnSlotInsteadOfAskingAgain() {
        #expect(waits(of: 5, from: RateLimit(perSecond: 2, burst: 1)) == [0, 0.5, 1, 1.5, 2])
    }

    @Test func aBackloggedLimitedChannelAsksTheLimiterOncePerWaitingDelivery() async throws {
        let clock = ManualClock()
        let slack = TimedChannel(clock: clock)
        let limiter = CountingLimiter(InMemoryRateLimiter(clock: clock))
        let system = TestSystem(slack: slack, slackRateLimit: RateLimit(perSecond: 1, burst: 1), clock: clock, limiter: limiter)
        for index in 0..<20 { _ = try await system.send(NotificationRequest(topic: "sales", message: "m\(index)")) }

        try await system.worker.drain(advancing: clock)

        #expect(slack.sendTimes.count == 20)
        #expect(limiter.calls == 20)
    }

    @Test func aRateLimitedChannelSpreadsItsSendsWithoutUsingAttempts() async throws {
        let clock = ManualClock()
        let slack = TimedChannel(clock: clock)
        let system = TestSystem(slack: slack, slackRateLimit: RateLimit(perSecond: 1, burst: 2), clock: clock)
        let start = clock.now
        var ids: [NotificationID] = []
        for index in 0..<5 {
            ids.append(try await system.send(NotificationRequest(topic: "sales", message: "m\(index)")).id)
        }

        try await system.worker.drain(advancing: clock)

        let offsets = slack.sendTimes.map { $0.timeIntervalSince(start) }
        #expect(offsets.count == 5)
        #expect(offsets.prefix(2).allSatisfy { $0 == 0 })
        for (index, offset) in offsets.enumerated().dropFirst(2) {
            #expect(offset >= Double(index - 1) - 0.001, "send \(index) at \(offset)s")
        }
        for id in ids {
            let delivery = try await system.status(id).deliveries[0]
            #expect(delivery.status == .sent)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastError == nil)
        }
    }
}
