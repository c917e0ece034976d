import HeraldApplication
package import HeraldDomain
import Foundation

/// Token buckets in Redis (`{p}:rate:<channel>`), so a channel's limit holds across every worker
/// process: one script per check, the same arithmetic as ``RateLimit/take(from:now:)``, on Redis's clock
/// (`TIME`), so processes whose clocks disagree still share one bucket correctly.
package final class RedisRateLimiter: RateLimiter {
    static let take = RedisScript(name: "rate-limit", source: """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
        local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = burst
        if stored[1] then
          tokens = math.min(burst, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate / 1000)
        end
        tokens = tokens - 1
        local wait = 0
        if tokens < 0 then wait = math.ceil(-tokens * 1000 / rate) end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
        return wait
        """)

    private let client: RedisClient
    private let keys: RedisKeys

    package init(client: RedisClient, keyPrefix: String = "herald") {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
    }

    package func acquire(_ channel: ChannelName, limit: RateLimit) async throws -> Duration? {
        return try await QueueUnavailable.translating {
            let reply = try await client.evaluate(
                Self.take, keys: [keys.rateLimit(channel.rawValue)],
                arguments: [String(limit.perSecond), String(limit.burst)])
            guard let wait = reply.integer else { throw RedisError(.unexpectedReply, "rate-limit returned \(reply)") }
            return wait > 0 ? .milliseconds(wait) : nil
        }
    }
}
