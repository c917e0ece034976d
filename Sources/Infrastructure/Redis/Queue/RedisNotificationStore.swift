package import HeraldApplication
package import HeraldDomain

/// Reads notification records from Redis (`{p}:n:<id>` hashes). They are written atomically with
/// queue transitions by ``RedisDeliveryQueue`` and expire after the configured retention. Lists read the
/// `{p}:list…` indexes the accept script keeps.
package final class RedisNotificationStore: NotificationStore, NotificationListing {
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

    /// Reads one batch of the index (by user, else topic, else all) from the cursor, at most the scan budget, and
    /// the records it names in one pipelined round; an entry whose record expired is removed from the index.
    /// The cursor is `<score>:<id>` of the first entry not yet read.
    package func notifications(matching filter: NotificationFilter, limit: Int, after cursor: String?) async throws
        -> NotificationPage
    {
        let start = try cursor.map(Self.parse)
        return try await QueueUnavailable.translating {
            let index = filter.userID.map { keys.listIndex(user: $0.rawValue) }
                ?? filter.topic.map { keys.listIndex(topic: $0.rawValue) } ?? keys.listIndex
            let budget = NotificationFilter.scanBudget(forLimit: limit)
            let high = start.map { String($0.score) } ?? filter.until.map { String(RedisCodec.milliseconds($0)) } ?? "+inf"
            let low = filter.since.map { String(RedisCodec.milliseconds($0)) } ?? "-inf"
            // Entries at the cursor's score but before it in the index's reverse order were read already: they come
            // first, so the read starts past them (however many share that millisecond).
            let isRead = { (entry: (score: Int64, id: String)) in
                start.map { entry.score == $0.score && entry.id > $0.id } ?? false
            }
            var offset = 0
            var entries: [(score: Int64, id: String)]
            repeat {
                let reply = try await client.send(RESPCommand(
                    "ZRANGE", index, high, low, "BYSCORE", "REV", "LIMIT", String(offset), String(budget + 1), "WITHSCORES"))
                let values = (reply.array ?? []).compactMap(\.string)
                entries = stride(from: 0, to: values.count - 1, by: 2).compactMap {
                    guard let score = Double(values[$0 + 1]) else { return nil }
                    return (Int64(score), values[$0])
                }
                let alreadyRead = entries.prefix(while: isRead).count
                guard alreadyRead > 0 else { break }
                offset += alreadyRead
            } while true
            let hasMore = entries.count > budget
            let read = Array(entries.prefix(budget))
            let hashes = try await withThrowingTaskGroup(of: (Int, RESPValue).self) { group in
                for (offset, entry) in read.enumerated() {
                    group.addTask { (offset, try await self.client.send(RESPCommand("HGETALL", self.keys.record(entry.id)))) }
                }
                var hashes = [RESPValue?](repeating: nil, count: read.count)
                for try await (offset, hash) in group { hashes[offset] = hash }
                return hashes
            }
            var records: [NotificationRecord] = []
            var expired: [String] = []
            for (offset, entry) in read.enumerated() {
                if records.count == limit {
                    return NotificationPage(records: records, nextCursor: "\(entry.score):\(entry.id)")
                }
                guard let hash = hashes[offset], let record = try codec.record(fromHash: hash, id: NotificationID(entry.id))
                else {
                    expired.append(entry.id)
                    continue
                }
                if filter.matches(record) { records.append(record) }
            }
            if !expired.isEmpty { _ = try await client.send(RESPCommand("ZREM", arguments: [index] + expired)) }
            let next = hasMore ? entries[budget] : nil
            return NotificationPage(records: records, nextCursor: next.map { "\($0.score):\($0.id)" })
        }
    }

    /// The score and id a list cursor names (the first index entry not yet read).
    package static func parse(_ cursor: String) throws(HeraldError) -> (score: Int64, id: String) {
        guard let colon = cursor.firstIndex(of: ":"), let score = Int64(cursor[..<colon]), cursor.index(after: colon) < cursor.endIndex
        else { throw HeraldError(.invalidValue, "cursor is not one this server returned", field: "cursor") }
        return (score, String(cursor[cursor.index(after: colon)...]))
    }
}
