import Foundation
package import HeraldApplication
package import HeraldDomain

/// Counts and dead letters of every partition, merged: totals add up, the oldest and next times are the earliest
/// of any partition, and pages of dead letters are merged newest first.
extension PartitionedRedisQueue: DeadLetterAdministration, QueueStatisticsSource, ThroughputSource {
    package func depth() async throws -> QueueDepth {
        try await everyPartition { try await $0.queue.depth() }.reduce(into: QueueDepth()) { total, part in
            total.ready += part.ready
            total.inFlight += part.inFlight
            total.scheduled += part.scheduled
            total.dead += part.dead
            total.oldestReadySince = Self.earliest(total.oldestReadySince, part.oldestReadySince)
            total.nextScheduledAt = Self.earliest(total.nextScheduledAt, part.nextScheduledAt)
        }
    }

    package func deadLetters(limit: Int) async throws -> [DeadLetter] {
        try await deadLetterPage(channel: nil, limit: limit, after: nil).letters
    }

    /// Every partition's newest letters after the cursor, merged by when they died. Two partitions may score
    /// letters alike (each makes its scores unique only within itself), so the cursor names the last letter
    /// returned, `<score>:<member>`, and the next page starts right after it in (score, member) order.
    package func deadLetterPage(channel: ChannelName?, limit: Int, after cursor: String?) async throws -> DeadLetterPage {
        let after = try Self.deadLetterPosition(cursor)
        guard limit > 0 else { return DeadLetterPage(letters: [], nextCursor: nil) }
        return try await QueueUnavailable.translating {
            let found = try await everyPartition { partition in
                // At most one letter of a partition has the cursor's score: one more than a page covers it.
                try await partition.queue.deadLetterEntries(
                    channel: channel, limit: limit + 2, before: after?.score, inclusive: true)
            }
            let merged = found.enumerated().flatMap { index, entries in entries.map { (index, $0.member, $0.score) } }
                .filter { entry in after.map { (entry.2, entry.1) < ($0.score, $0.member) } ?? true }
                .sorted { ($0.2, $0.1) > ($1.2, $1.1) }
            let page = merged.prefix(limit)
            // One read per partition for the letters of the page, put back in the page's order.
            var letters: [String: DeadLetter] = [:]
            for (index, entries) in Dictionary(grouping: page, by: \.0) {
                let keys = partitions[index].keys
                for letter in try await partitions[index].queue.letters(named: entries.map(\.1)) {
                    letters[keys.deadLetterMember(letter.unit.id)] = letter
                }
            }
            return DeadLetterPage(
                letters: page.compactMap { letters[$0.1] },
                nextCursor: merged.count > limit ? page.last.map { "\($0.2):\($0.1)" } : nil)
        }
    }

    /// The last letter a page returned, from its cursor.
    private static func deadLetterPosition(_ cursor: String?) throws(HeraldError) -> (score: Int64, member: String)? {
        guard let cursor else { return nil }
        guard let colon = cursor.firstIndex(of: ":"), let score = Int64(cursor[..<colon]) else {
            throw HeraldError(.invalidValue, "cursor is not one this server returned", field: "cursor")
        }
        return (score, String(cursor[cursor.index(after: colon)...]))
    }

    package func deadLetters(of deliveries: [DeliveryID]) async throws -> [DeadLetter] {
        try await byPartition(deliveries) { try await $0.deadLetters(of: $1) }.flatMap { $0 }
    }

    package func removeDeadLetters(of deliveries: [DeliveryID]) async throws -> Int {
        try await byPartition(deliveries) { try await $0.removeDeadLetters(of: $1) }.reduce(0, +)
    }

    /// `body` on each partition with the deliveries whose notifications it holds, in the order first named.
    private func byPartition<T>(_ deliveries: [DeliveryID], _ body: (RedisDeliveryQueue, [DeliveryID]) async throws -> T)
        async throws -> [T]
    {
        var groups: [Int: [DeliveryID]] = [:]
        var order: [Int] = []
        for delivery in deliveries {
            let index = map.partition(of: delivery.notificationID)
            if groups[index] == nil { order.append(index) }
            groups[index, default: []].append(delivery)
        }
        var results: [T] = []
        for index in order { results.append(try await body(partitions[index].queue, groups[index]!)) }
        return results
    }

    package func statistics(channels: [ChannelName]) async throws -> QueueStatistics {
        let parts = try await everyPartition { try await $0.queue.statistics(channels: channels) }
        var merged = QueueStatistics(channels: [:], workers: [], isComplete: true, takenAt: .distantPast)
        var workers: [WorkerID: QueueStatistics.Worker] = [:]
        for part in parts {
            merged.isComplete = merged.isComplete && part.isComplete
            merged.takenAt = max(merged.takenAt, part.takenAt)
            for (name, channel) in part.channels {
                var total = merged.channels[name] ?? QueueStatistics.Channel()
                total.ready += channel.ready
                total.scheduled += channel.scheduled
                total.inFlight += channel.inFlight
                total.dead += channel.dead
                total.oldestReadySince = Self.earliest(total.oldestReadySince, channel.oldestReadySince)
                merged.channels[name] = total
            }
            for worker in part.workers {
                var total = workers[worker.id] ?? QueueStatistics.Worker(id: worker.id, lastHeartbeat: nil, inFlight: 0)
                total.inFlight += worker.inFlight
                total.lastHeartbeat = [total.lastHeartbeat, worker.lastHeartbeat].compactMap { $0 }.max()
                workers[worker.id] = total
            }
        }
        merged.workers = workers.values.sorted { $0.id < $1.id }
        return merged
    }

    package func throughput(minutes: Int) async throws -> [ThroughputMinute] {
        let parts = try await everyPartition { try await $0.queue.throughput(minutes: minutes) }
        var byStart: [Date: ThroughputMinute] = [:]
        for minute in parts.flatMap({ $0 }) {
            var total = byStart[minute.start] ?? ThroughputMinute(start: minute.start)
            total.accepted += minute.accepted
            total.sent += minute.sent
            total.retried += minute.retried
            total.failed += minute.failed
            byStart[minute.start] = total
        }
        // Every partition reads Redis's clock; across a cluster's masters a minute may differ at its edges: the
        // newest `minutes` minutes seen are kept.
        return Array(byStart.values.sorted { $0.start < $1.start }.suffix(max(1, min(minutes, 60))))
    }

    static func earliest(_ first: Date?, _ second: Date?) -> Date? {
        [first, second].compactMap { $0 }.min()
    }
}
