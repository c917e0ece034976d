public import HeraldApplication
public import HeraldDomain

/// Reads notification records from Redis (`{p}:n:<id>` hashes). They are written atomically with
/// queue transitions by ``RedisDeliveryQueue`` and expire after the configured retention.
public final class RedisNotificationStore: NotificationStore {
    private let client: RedisClient
    private let keys: RedisKeys
    private let codec = RedisCodec()

    public init(client: RedisClient, keyPrefix: String = "herald") {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
    }

    public func record(for id: NotificationID) async throws -> NotificationRecord? {
        try codec.record(fromHash: try await client.send(RESPCommand("HGETALL", keys.record(id.rawValue))), id: id)
    }
}
