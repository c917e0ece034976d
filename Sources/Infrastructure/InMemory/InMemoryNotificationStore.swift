import Foundation
public import HeraldApplication
public import HeraldDomain
import Synchronization

/// Keeps notification records in memory for a retention period; they end with the process.
public final class InMemoryNotificationStore: NotificationStore {
    private struct State {
        var records: [NotificationID: NotificationRecord] = [:]
        var insertsSincePurge = 0
    }

    private let state = Mutex(State())
    private let clock: any WallClock
    private let retention: Duration

    /// - Parameter retention: how long records are kept after acceptance (7 days by default).
    public init(clock: any WallClock = SystemClock(), retention: Duration = .seconds(7 * 24 * 3600)) {
        self.clock = clock
        self.retention = retention
    }

    public func record(for id: NotificationID) async throws -> NotificationRecord? {
        let cutoff = clock.now.adding(.zero - retention)
        return state.withLock { $0.records[id] }.flatMap { $0.createdAt >= cutoff ? $0 : nil }
    }

    /// How many records are held (expired ones included until the next purge).
    public var count: Int { state.withLock { $0.records.count } }

    func insert(_ record: NotificationRecord) {
        let cutoff = clock.now.adding(.zero - retention)
        state.withLock { state in
            state.records[record.id] = record
            state.insertsSincePurge += 1
            if state.insertsSincePurge >= 1024 {
                state.insertsSincePurge = 0
                state.records = state.records.filter { $0.value.createdAt >= cutoff }
            }
        }
    }

    /// Applies `change` to the record of `id`; returns false when there is none.
    @discardableResult
    func update(_ id: NotificationID, _ change: (inout NotificationRecord) -> Void) -> Bool {
        state.withLock { state in
            guard var record = state.records[id] else { return false }
            change(&record)
            state.records[id] = record
            return true
        }
    }

    func replaceDelivery(of id: NotificationID, with delivery: DeliveryRecord) {
        update(id) { $0.updateDelivery(on: delivery.channel) { $0 = delivery } }
    }
}
