import Foundation
public import HeraldApplication
public import HeraldDomain
import Synchronization

/// Keeps notification records in memory, bounded: an unfinished record stays as long as its work does;
/// a finished one stays for the retention period after its last change, and when the store is full the
/// oldest finished record makes room. Records end with the process.
public final class InMemoryNotificationStore: NotificationStore, NotificationListing {
    private struct Entry {
        var record: NotificationRecord
        /// The sequence of this record's entry in ``FinishedOrder``; nil while it is unfinished.
        var finishedSequence: Int?
        var changedAt: Date
        /// Its place in acceptance order (the list indexes' key).
        var sequence: Int
    }

    private struct State {
        var entries: [NotificationID: Entry] = [:]
        var finished = FinishedOrder()
        /// Acceptance order, of all records and per topic and per user; an evicted record's entries are skipped
        /// and compacted away once they outnumber the live ones.
        var order = FIFOBuffer<(sequence: Int, id: NotificationID)>()
        var byTopic: [Topic: FIFOBuffer<(sequence: Int, id: NotificationID)>] = [:]
        var byUser: [UserID: FIFOBuffer<(sequence: Int, id: NotificationID)>] = [:]
        var nextSequence = 0
    }

    private let state = Mutex(State())
    private let clock: any WallClock
    private let retention: Duration
    /// The most records held at once, finished or not (`queue.memory_max_records`).
    public let maxRecords: Int

    /// - Parameters:
    ///   - retention: how long a finished record is kept after its last change (7 days by default).
    ///   - maxRecords: the most records held; at the bound the oldest finished one is evicted, and when every
    ///     record is unfinished new ones are refused with `queue_full`.
    public init(
        clock: any WallClock = SystemClock(), retention: Duration = .seconds(7 * 24 * 3600), maxRecords: Int = 100_000
    ) {
        self.clock = clock
        self.retention = retention
        self.maxRecords = max(1, maxRecords)
    }

    public func record(for id: NotificationID) async throws -> NotificationRecord? {
        let cutoff = clock.now.adding(.zero - retention)
        return state.withLock { state in
            guard let entry = state.entries[id] else { return nil }
            if entry.finishedSequence != nil, entry.changedAt < cutoff { return nil }
            return entry.record
        }
    }

    /// How many records are held (expired ones included until they are evicted).
    public var count: Int { state.withLock { $0.entries.count } }

    /// Makes room for one more record: drops expired finished records and, at the bound, the oldest finished.
    /// - Throws: `queue_full` when the store is full of unfinished records.
    func makeRoom() throws(HeraldError) {
        let cutoff = clock.now.adding(.zero - retention)
        try state.withLock { state throws(HeraldError) in
            evict(in: &state) { $0.finishedAt < cutoff }
            if state.entries.count >= maxRecords { evict(in: &state, limit: state.entries.count - maxRecords + 1) { _ in true } }
            guard state.entries.count < maxRecords else {
                throw HeraldError(
                    .queueFull, "the memory queue holds \(maxRecords) unfinished notifications; try again later")
            }
        }
    }

    /// Stores a new record; call ``makeRoom()`` first, under the same lock as the enqueue.
    func insert(_ record: NotificationRecord) {
        let now = clock.now
        state.withLock { state in
            state.nextSequence += 1
            let sequence = state.nextSequence
            state.entries[record.id] = Entry(record: record, finishedSequence: nil, changedAt: now, sequence: sequence)
            state.order.append((sequence, record.id))
            if let topic = record.topic { state.byTopic[topic, default: FIFOBuffer()].append((sequence, record.id)) }
            if let user = record.userID { state.byUser[user, default: FIFOBuffer()].append((sequence, record.id)) }
            if state.order.count > 2 * state.entries.count + 1024 { compactOrders(in: &state) }
            track(record.id, in: &state, now: now)
        }
    }

    public func notifications(matching filter: NotificationFilter, limit: Int, after cursor: String?) async throws
        -> NotificationPage
    {
        let before = try cursor.map { text throws(HeraldError) -> Int in
            guard let sequence = Int(text), sequence > 0 else {
                throw HeraldError(.invalidValue, "cursor is not one this server returned", field: "cursor")
            }
            return sequence
        }
        let cutoff = clock.now.adding(.zero - retention)
        return state.withLock { state in
            let index = filter.userID.map { state.byUser[$0] ?? FIFOBuffer() }
                ?? filter.topic.map { state.byTopic[$0] ?? FIFOBuffer() } ?? state.order
            var records: [NotificationRecord] = []
            var budget = NotificationFilter.scanBudget(forLimit: limit)
            for (sequence, id) in index.newestFirst(before: { $0.sequence >= (before ?? Int.max) }) {
                guard records.count < limit, budget > 0 else { return NotificationPage(records: records, nextCursor: String(sequence + 1)) }
                budget -= 1
                guard let entry = state.entries[id], entry.sequence == sequence else { continue }
                if entry.finishedSequence != nil, entry.changedAt < cutoff { continue }
                // Acceptance order is creation order: past `since`, nothing older can match.
                if let since = filter.since, entry.record.createdAt < since { break }
                if filter.matches(entry.record) { records.append(entry.record) }
            }
            return NotificationPage(records: records, nextCursor: nil)
        }
    }

    /// Drops the list indexes' entries of records no longer held.
    private func compactOrders(in state: inout State) {
        let entries = state.entries
        let isLive = { (entry: (sequence: Int, id: NotificationID)) in entries[entry.id]?.sequence == entry.sequence }
        state.order.compact(keeping: isLive)
        for topic in state.byTopic.keys {
            state.byTopic[topic]?.compact(keeping: isLive)
            if state.byTopic[topic]?.count == 0 { state.byTopic[topic] = nil }
        }
        for user in state.byUser.keys {
            state.byUser[user]?.compact(keeping: isLive)
            if state.byUser[user]?.count == 0 { state.byUser[user] = nil }
        }
    }

    /// Applies `change` to the record of `id`; returns false when there is none.
    @discardableResult
    func update(_ id: NotificationID, _ change: (inout NotificationRecord) -> Void) -> Bool {
        let now = clock.now
        return state.withLock { state in
            guard state.entries[id] != nil else { return false }
            change(&state.entries[id]!.record)
            state.entries[id]!.changedAt = now
            track(id, in: &state, now: now)
            return true
        }
    }

    func replaceDelivery(of id: NotificationID, with delivery: DeliveryRecord) {
        update(id) { $0.updateDelivery(delivery.id(in: id)) { $0 = delivery } }
    }

    /// Files the record under finished (a fresh entry in the order) or unfinished, after a change.
    private func track(_ id: NotificationID, in state: inout State, now: Date) {
        guard let entry = state.entries[id] else { return }
        if entry.record.isFinished {
            state.entries[id]!.finishedSequence = state.finished.append(id, finishedAt: now)
            if state.finished.count > 2 * state.entries.count + 1024 {
                let entries = state.entries
                state.finished.compact { entries[$0.id]?.finishedSequence == $0.sequence }
            }
        } else {
            state.entries[id]!.finishedSequence = nil
        }
    }

    /// Removes finished records from the oldest while `shouldEvict` holds, at most `limit` of them.
    private func evict(in state: inout State, limit: Int = .max, while shouldEvict: (FinishedOrder.Entry) -> Bool) {
        var evicted = 0
        while evicted < limit, let oldest = state.finished.first {
            let isCurrent = state.entries[oldest.id]?.finishedSequence == oldest.sequence
            guard !isCurrent || shouldEvict(oldest) else { return }
            state.finished.removeFirst()
            if isCurrent {
                state.entries[oldest.id] = nil
                evicted += 1
            }
        }
    }
}
