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
        let reply = try await client.send(RESPCommand("HGETALL", keys.record(id.rawValue)))
        let values = (reply.array ?? []).compactMap(\.string)
        guard !values.isEmpty else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: values.count - 1, by: 2) { fields[values[index]] = values[index + 1] }
        guard let metaText = fields["meta"], let orderText = fields["order"] else {
            throw RedisError(.unexpectedReply, "notification \(id) is incomplete in Redis")
        }
        let meta = try codec.decode(RedisCodec.RecordMeta.self, from: metaText)
        let order = try codec.decode([ChannelName].self, from: orderText)
        let deliveries = try order.map { channel in
            guard let text = fields["d:\(channel.rawValue)"] else {
                throw RedisError(.unexpectedReply, "notification \(id) lacks its \(channel) delivery")
            }
            return try codec.decode(DeliveryRecord.self, from: text)
        }
        return NotificationRecord(
            id: meta.id, topic: meta.topic, userID: meta.userID, content: meta.content, createdAt: meta.createdAt,
            deliveries: deliveries)
    }
}
