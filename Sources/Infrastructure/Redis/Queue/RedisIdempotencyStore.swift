package import HeraldApplication

/// Reads idempotency keys from Redis (`{p}:idem:<key>`, expiring 24 hours after the claim). Keys are
/// claimed by ``RedisDeliveryQueue`` in the same script that accepts the notification.
package final class RedisIdempotencyStore: IdempotencyStore {
    private let client: RedisClient
    private let keys: RedisKeys
    private let codec = RedisCodec()

    package init(client: RedisClient, keyPrefix: String = "herald") {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
    }

    package func entry(for key: String) async throws -> IdempotencyEntry? {
        return try await QueueUnavailable.translating {
            guard let text = try await client.send(RESPCommand("GET", keys.idempotency(key))).string else { return nil }
            return try codec.decode(IdempotencyEntry.self, from: text)
        }
    }
}
