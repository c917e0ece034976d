import HeraldApplication
package import HeraldDomain
package import Foundation

/// Sliding-window throttle counts in Redis (`{p}:throttle:<key>`, a sorted set of admitted notifications scored by
/// Redis's `TIME`), one script per check, so a throttle holds across every process.
package final class RedisThrottleCounter: ThrottleCounter {
    static let admit = RedisScript(name: "throttle", source: """
        local now = tonumber(ARGV[3])
        if not now then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        local sequence = redis.call('HINCRBY', KEYS[2], 'throttle', 1)
        redis.call('ZADD', KEYS[1], now, now .. '-' .. sequence)
        redis.call('PEXPIRE', KEYS[1], window + 1000)
        return 1
        """)

    private let client: RedisClient
    private let keys: RedisKeys
    private let serverTimeOverride: (@Sendable () -> Date)?

    /// - Parameter serverTimeOverride: the time to count by instead of Redis's `TIME`; only for tests on a manual clock.
    package init(client: RedisClient, keyPrefix: String = "herald", serverTimeOverride: (@Sendable () -> Date)? = nil) {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
        self.serverTimeOverride = serverTimeOverride
    }

    package func admit(_ key: String, under throttle: Throttle) async throws -> Bool {
        return try await QueueUnavailable.translating {
            let reply = try await client.evaluate(
                Self.admit, keys: [keys.throttle(key), keys.sequences],
                arguments: [
                    String(throttle.limit), String(throttle.window.wholeMilliseconds),
                    serverTimeOverride.map { String(RedisCodec.milliseconds($0())) } ?? "",
                ])
            guard let admitted = reply.integer else { throw RedisError(.unexpectedReply, "throttle returned \(reply)") }
            return admitted == 1
        }
    }
}
