import HeraldApplication
package import HeraldDomain

/// Reads notification records from Redis (`{p}:n:<id>` hashes). They are written atomically with
/// queue transitions by ``RedisDeliveryQueue`` and expire after the configured retention.
package final class RedisNotificationStore: NotificationStore {
    private let client: RedisClient
    private let keys: RedisKeys
    private let codec = RedisCodec()

    package init(client: RedisClient, keyPrefix: String = "herald") {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
    }

    package func record(for id: NotificationID) async throws -> NotificationRecord? {
        return try await QueueUnavailable.translating {
            try codec.record(fromHash: try await client.send(RESPCommand("HGETALL", keys.record(id.rawValue))), id: id)
        }
    }
}
