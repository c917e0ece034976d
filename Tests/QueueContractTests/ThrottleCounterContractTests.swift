import Foundation
import HeraldApplication
import HeraldDomain
import HeraldInMemory
import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

/// Both throttle counters count a sliding window: a limit of 2 per 60 s admits a third only once the first is a
/// full window old, and keys never share counts.
@Suite(.serialized) struct ThrottleCounterContractTests {
    let clock = ManualClock()

    private func counters() throws -> [(name: String, counter: any ThrottleCounter, server: RedisServer?)] {
        let server = try RedisServer()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        return [
            ("memory", InMemoryThrottleCounter(clock: clock), nil),
            ("redis", RedisThrottleCounter(client: client, serverTimeOverride: { [clock] in clock.now }), server),
        ]
    }

    @Test func aSlidingWindowAdmitsTheLimitAndFreesOneSlotPerExpiredCount() async throws {
        for (name, counter, server) in try counters() {
            _ = server
            let start = clock.now
            let throttle = Throttle(limit: 2, window: .seconds(60))
            #expect(try await counter.admit("route:alerts:ana", under: throttle), "\(name)")
            clock.advance(by: .seconds(20))
            #expect(try await counter.admit("route:alerts:ana", under: throttle), "\(name)")
            #expect(try await !counter.admit("route:alerts:ana", under: throttle), "\(name): over the limit")
            #expect(try await counter.admit("route:alerts:ben", under: throttle), "\(name): another user has their own count")
            clock.advance(by: .seconds(39))
            #expect(try await !counter.admit("route:alerts:ana", under: throttle), "\(name): the first is 59 s old")
            clock.advance(by: .seconds(1))
            #expect(try await counter.admit("route:alerts:ana", under: throttle), "\(name): the first left the window")
            #expect(try await !counter.admit("route:alerts:ana", under: throttle), "\(name)")
            clock.advance(to: start.addingTimeInterval(3600))
        }
    }
}
