public import Foundation
public import HeraldApplication
public import HeraldDomain
import Synchronization

/// The embedded queue: the same semantics as the Redis queue (leases, recovery, scheduled retries,
/// dead letters, atomic acceptance), held in this process's memory and gone when it ends.
public final class InMemoryDeliveryQueue: DeliveryQueue {
    private struct State {
        var ready = ReadyList()
        var leases: [String: Reservation] = [:]
        var scheduled: [(due: Date, unit: DeliveryUnit)] = []
        var dead: [DeadLetter] = []
    }

    private let state = Mutex(State())
    private let wakeups = WakeupSignal()
    private let store: InMemoryNotificationStore
    private let idempotency: InMemoryIdempotencyStore
    private let clock: any WallClock
    public let configuration: Configuration

    /// Creates a queue that writes records to `store` and claims keys in `idempotency`.
    public init(
        store: InMemoryNotificationStore, idempotency: InMemoryIdempotencyStore, clock: any WallClock = SystemClock(),
        configuration: Configuration = Configuration()
    ) {
        self.store = store
        self.idempotency = idempotency
        self.clock = clock
        self.configuration = configuration
    }

    public func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let outcome: SubmissionOutcome = state.withLock { state in
            if let claim = submission.idempotency, let existing = idempotency.claim(claim) {
                return .duplicate(existing)
            }
            store.insert(submission.record)
            for unit in submission.units { state.ready.append(unit) }
            return .accepted
        }
        if outcome == .accepted, !submission.units.isEmpty { wakeups.signal() }
        return outcome
    }

    public func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    {
        let deadline = clock.now.adding(wait)
        while true {
            let generation = wakeups.generation
            let now = clock.now
            let (reservation, nextDue) = state.withLock { state in
                promoteDueRetries(in: &state, now: now)
                guard let unit = state.ready.popFirst() else { return (nil as Reservation?, state.scheduled.first?.due) }
                let reservation = Reservation(
                    unit: unit, token: UUID().uuidString, worker: worker, expiresAt: now.adding(lease))
                state.leases[reservation.token] = reservation
                return (reservation, nil)
            }
            if let reservation { return reservation }
            guard now < deadline, !Task.isCancelled else { return nil }
            await wakeups.wait(after: generation, until: min(deadline, nextDue ?? deadline), clock: clock)
        }
    }

    public func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        settle(reservation, recording: delivery) { _ in }
    }

    public func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        let held = settle(reservation, recording: delivery) { state in
            let index = state.scheduled.firstIndex { $0.due > date } ?? state.scheduled.endIndex
            state.scheduled.insert((date, unit), at: index)
        }
        if held { wakeups.signal() }
        return held
    }

    public func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        let now = clock.now
        return settle(reservation, recording: delivery) { state in
            bury(reservation.unit, reason: reason, now: now, in: &state)
        }
    }

    public func release(_ reservation: Reservation) async throws -> Bool {
        let held = settle(reservation, recording: nil) { state in state.ready.prepend(reservation.unit) }
        if held { wakeups.signal() }
        return held
    }

    public func requeue(_ notificationID: NotificationID, channels: [ChannelName]) async throws -> [ChannelName] {
        let now = clock.now
        let requeued: [ChannelName] = state.withLock { state in
            var requeued: [ChannelName] = []
            store.update(notificationID) { record in
                for channel in channels {
                    record.updateDelivery(on: channel) { delivery in
                        guard delivery.status == .failed else { return }
                        delivery.status = .queued
                        delivery.updatedAt = now
                        requeued.append(channel)
                    }
                }
            }
            let ids = Set(requeued.map { DeliveryID(notificationID: notificationID, channel: $0) })
            state.dead.removeAll { ids.contains($0.unit.id) }
            for id in ids.sorted(by: { $0.description < $1.description }) {
                state.ready.append(DeliveryUnit(id: id, readySince: now))
            }
            return requeued
        }
        if !requeued.isEmpty { wakeups.signal() }
        return requeued
    }

    public func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        let expiresAt = clock.now.adding(lease)
        state.withLock { state in
            for (token, reservation) in state.leases where reservation.worker == worker {
                state.leases[token]?.expiresAt = expiresAt
            }
        }
    }

    public func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        state.withLock { Set($0.leases.values.filter { $0.worker == worker }.map(\.token)) }
    }

    public func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        let released = state.withLock { state in
            var released = 0
            for token in tokens {
                guard let reservation = state.leases[token], reservation.worker == worker else { continue }
                state.leases[token] = nil
                state.ready.prepend(reservation.unit)
                released += 1
            }
            return released
        }
        if released > 0 { wakeups.signal() }
        return released
    }

    public func recoverExpiredLeases() async throws -> LeaseRecovery {
        let now = clock.now
        let recovery = state.withLock { state in
            var recovery = LeaseRecovery()
            pruneDeadLetters(in: &state, now: now)
            let expired = state.leases.values.filter { $0.expiresAt <= now }.sorted { $0.expiresAt < $1.expiresAt }
            for reservation in expired {
                state.leases[reservation.token] = nil
                var unit = reservation.unit
                unit.recoveries += 1
                if unit.recoveries > configuration.maxRecoveries {
                    let reason = "poison pill: its lease expired \(unit.recoveries) times (workers crashed or hung)"
                    markFailed(unit.id, reason: reason, now: now)
                    bury(unit, reason: reason, now: now, in: &state)
                    recovery.deadLettered += 1
                } else {
                    unit.readySince = now
                    state.ready.prepend(unit)
                    recovery.recovered += 1
                }
            }
            return recovery
        }
        if recovery.recovered > 0 { wakeups.signal() }
        return recovery
    }

    public func depth() async throws -> QueueDepth {
        state.withLock { state in
            QueueDepth(
                ready: state.ready.count, inFlight: state.leases.count, scheduled: state.scheduled.count,
                dead: state.dead.count, oldestReadySince: state.ready.first?.readySince,
                nextScheduledAt: state.scheduled.first?.due)
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        state.withLock { Array($0.dead.suffix(max(0, limit)).reversed()) }
    }

    private func settle(
        _ reservation: Reservation, recording delivery: DeliveryRecord?, _ transition: (inout State) -> Void
    ) -> Bool {
        state.withLock { state in
            guard state.leases.removeValue(forKey: reservation.token) != nil else { return false }
            if let delivery { store.replaceDelivery(of: reservation.unit.id.notificationID, with: delivery) }
            transition(&state)
            return true
        }
    }

    private func promoteDueRetries(in state: inout State, now: Date) {
        let dueCount = state.scheduled.prefix { $0.due <= now }.count
        guard dueCount > 0 else { return }
        for (due, unit) in state.scheduled.prefix(dueCount) {
            var unit = unit
            unit.readySince = due
            state.ready.append(unit)
        }
        state.scheduled.removeFirst(dueCount)
    }

    private func bury(_ unit: DeliveryUnit, reason: String, now: Date, in state: inout State) {
        state.dead.append(DeadLetter(unit: unit, reason: reason, deadAt: now))
        pruneDeadLetters(in: &state, now: now)
    }

    /// Keeps the dead-letter list within its count and age bounds (it is in time order).
    private func pruneDeadLetters(in state: inout State, now: Date) {
        let oldestKept = now.adding(.zero - configuration.deadLetterMaxAge)
        let tooOld = state.dead.prefix { $0.deadAt < oldestKept }.count
        let tooMany = state.dead.count - configuration.deadLetterLimit
        state.dead.removeFirst(min(state.dead.count, max(tooOld, tooMany, 0)))
    }

    private func markFailed(_ id: DeliveryID, reason: String, now: Date) {
        store.update(id.notificationID) { record in
            record.updateDelivery(on: id.channel) { delivery in
                delivery.status = .failed
                delivery.lastError = reason
                delivery.updatedAt = now
            }
        }
    }
}
