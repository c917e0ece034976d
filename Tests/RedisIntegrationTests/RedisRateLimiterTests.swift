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
        let firstClient = RedisClient(configuration: try RedisConfiguration(url: server.url))
        let secondClient = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer {
            firstClient.shutdown()
            secondClient.shutdown()
        }
        let first = RedisRateLimiter(client: firstClient)
        let second = RedisRateLimiter(client: secondClient)
        // One token per 100 s: the milliseconds this test takes barely refill the bucket.
        let limit = RateLimit(perSecond: 0.01, burst: 3)

        #expect(try await first.acquire("sms", limit: limit) == nil)
        #expect(try await second.acquire("sms", limit: limit) == nil)
        #expect(try await first.acquire("sms", limit: limit) == nil)
        let wait = try #require(try await second.acquire("sms", limit: limit))
        #expect(wait > .seconds(95) && wait <= .seconds(100))
        #expect(try await first.acquire("slack", limit: limit) == nil)
    }
}
