package import HeraldApplication
import HeraldDomain

/// Lists merged from every partition, newest first, with one cursor for all of them.
extension PartitionedRedisQueue: NotificationListing {
    /// Reads a page from every partition from the same cursor (each bounded as on one partition) and merges them
    /// by creation time and id, the index's order. A partition that stopped early (its page full, or its scan budget
    /// spent) stopped at its own next cursor; the merged page keeps only what lies before the latest of those, and
    /// the next page starts there, so nothing is skipped and nothing is listed twice. A page costs one partition's
    /// page per partition.
    package func notifications(matching filter: NotificationFilter, limit: Int, after cursor: String?) async throws
        -> NotificationPage
    {
        if let cursor { _ = try RedisNotificationStore.parse(cursor) }
        let pages = try await everyPartition { try await $0.store.notifications(matching: filter, limit: limit, after: cursor) }
        let frontier = try pages.compactMap { try $0.nextCursor.map(RedisNotificationStore.parse) }.max { $0 < $1 }
        let merged = pages.flatMap(\.records)
            .map { (key: (score: RedisCodec.milliseconds($0.createdAt), id: $0.id.rawValue), record: $0) }
            .filter { entry in frontier.map { entry.key > $0 } ?? true }
            .sorted { $0.key > $1.key }
        let next = merged.count > limit ? merged[limit].key : frontier
        return NotificationPage(
            records: merged.prefix(limit).map(\.record), nextCursor: next.map { "\($0.score):\($0.id)" })
    }
}
