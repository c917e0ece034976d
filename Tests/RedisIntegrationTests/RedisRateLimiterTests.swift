import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

@Suite(.serialized) struct RedisRateLimiterTests {
    @Test(.timeLimit(.minutes(1)))
    func processesSharingRedisShareOneBucket() async throws {
        let server = try RedisServer()
        let clock = ManualClock()
        let firstClient = RedisClient(configuration: try RedisConfiguration(url: server.url))
        let secondClient = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer {
            firstClient.shutdown()
            secondClient.shutdown()
        }
        let first = RedisRateLimiter(client: firstClient, clock: clock)
        let second = RedisRateLimiter(client: secondClient, clock: clock)
        let limit = RateLimit(perSecond: 2, burst: 3)

        #expect(try await first.acquire("sms", limit: limit) == nil)
        #expect(try await second.acquire("sms", limit: limit) == nil)
        #expect(try await first.acquire("sms", limit: limit) == nil)
        #expect(try await second.acquire("sms", limit: limit) == .milliseconds(500))
        #expect(try await first.acquire("slack", limit: limit) == nil)

        clock.advance(by: .milliseconds(500))
        #expect(try await second.acquire("sms", limit: limit) == nil)
        #expect(try await first.acquire("sms", limit: limit) == .milliseconds(500))
    }
}
