public import Foundation
public import HeraldApplication
public import HeraldDomain
import Synchronization

/// The embedded queue: the same semantics as the Redis queue (leases, recovery, scheduled retries,
/// dead letters, atomic acceptance), held in this process's memory and gone when it ends.
public final class InMemoryDeliveryQueue: DeliveryQueue, DigestIntake, DeadLetterAdministration, QueueStatisticsSource, ThroughputSource {
    private struct State {
        var ready = ReadyList()
        /// Units recovered from expired leases, each delivered by a worker holding nothing else.
        var suspects = ReadyList()
        var leases: [String: Reservation] = [:]
        var holdings: [WorkerID: WorkerHoldings] = [:]
        /// Counts per minute (minutes since 1970), the last hour's.
        var throughput: [Int: ThroughputMinute] = [:]

        mutating func count(_ field: WritableKeyPath<ThroughputMinute, Int>, at now: Date) {
            let minute = ThroughputMinute.index(of: now)
            throughput[minute, default: ThroughputMinute(start: Date(timeIntervalSince1970: Double(minute) * 60))][keyPath: field] += 1
            if throughput.count > 70 { throughput = throughput.filter { $0.key > minute - 60 } }
        }

        /// Each worker's last reserve or heartbeat and when its lease then ends.
        var workerLeases: [WorkerID: (lastSeen: Date, expiresAt: Date)] = [:]
        var scheduled: [(due: Date, unit: DeliveryUnit)] = []
        /// Units of fallback steps not reached yet.
        var standby: [DeliveryID: DeliveryUnit] = [:]
        var dead = DeadLetterIndex()

        mutating func lease(_ reservation: Reservation) {
            leases[reservation.token] = reservation
            holdings[reservation.worker, default: WorkerHoldings()].add(reservation.unit)
        }

        mutating func unlease(_ token: String) -> Reservation? {
            guard let reservation = leases.removeValue(forKey: token) else { return nil }
            holdings[reservation.worker]?.remove(reservation.unit)
            if holdings[reservation.worker]?.units == 0 { holdings[reservation.worker] = nil }
            return reservation
        }

        /// Files a unit to become ready at `date`, in due order (after those due at the same time).
        mutating func schedule(_ unit: DeliveryUnit, at date: Date) {
            var low = 0
            var high = scheduled.count
            while low < high {
                let middle = (low + high) / 2
                if scheduled[middle].due <= date { low = middle + 1 } else { high = middle }
            }
            scheduled.insert((date, unit), at: low)
        }

        /// Puts a unit back at the head of the line it belongs to.
        mutating func giveBack(_ unit: DeliveryUnit) {
            if unit.isSuspect { suspects.prepend(unit) } else { ready.prepend(unit) }
        }
    }

    /// What one worker holds: how many units, and how many of them are suspects.
    private struct WorkerHoldings {
        var units = 0
        var suspects = 0

        mutating func add(_ unit: DeliveryUnit) {
            units += 1
            if unit.isSuspect { suspects += 1 }
        }

        mutating func remove(_ unit: DeliveryUnit) {
            units -= 1
            if unit.isSuspect { suspects -= 1 }
        }
    }

    private let state = Mutex(State())
    private let wakeups = WakeupSignal()
    private let store: InMemoryNotificationStore
    private let idempotency: InMemoryIdempotencyStore
    /// `dedupe_key` claims, each held for its own window.
    private let dedupeKeys: InMemoryIdempotencyStore
    /// Open digests' claims, each held until its digest is due.
    private let digestKeys: InMemoryIdempotencyStore
    private let clock: any WallClock
    public let configuration: Configuration

    /// Creates a queue that writes records to `store` and claims keys in `idempotency`.
    public init(
        store: InMemoryNotificationStore, idempotency: InMemoryIdempotencyStore, clock: any WallClock = SystemClock(),
        configuration: Configuration = Configuration()
    ) {
        self.store = store
        self.idempotency = idempotency
        self.dedupeKeys = InMemoryIdempotencyStore(clock: clock)
        self.digestKeys = InMemoryIdempotencyStore(clock: clock)
        self.clock = clock
        self.configuration = configuration
    }

    public func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let outcome: SubmissionOutcome = try state.withLock { state in
            if let claim = submission.idempotency, let existing = idempotency.existing(claim.key) {
                return .duplicate(existing)
            }
            if let dedupe = submission.dedupe, let first = dedupeKeys.existing(dedupe.key) {
                return .deduplicated(first)
            }
            if let digest = submission.digest, let open = digestKeys.existing(digest.key) {
                return .deduplicated(open)
            }
            try store.makeRoom()
            store.insert(submission.record)
            if let claim = submission.idempotency { idempotency.claim(claim) }
            if let dedupe = submission.dedupe { dedupeKeys.claim(dedupe) }
            if let digest = submission.digest { digestKeys.claim(digest) }
            for unit in submission.standby { state.standby[unit.id] = unit }
            state.count(\.accepted, at: clock.now)
            if let readyAt = submission.readyAt {
                for unit in submission.units { state.schedule(unit, at: readyAt) }
            } else {
                for unit in submission.units { state.ready.append(unit) }
            }
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
                state.workerLeases[worker] = (now, now.adding(lease))
                guard let unit = nextUnit(for: worker, in: &state) else {
                    return (nil as Reservation?, state.scheduled.first?.due)
                }
                let reservation = Reservation(
                    unit: unit, token: UUID().uuidString, worker: worker, expiresAt: now.adding(lease))
                state.lease(reservation)
                state.workerLeases[worker] = (now, now.adding(lease))
                return (reservation, nil)
            }
            if let reservation { return reservation }
            guard now < deadline, !Task.isCancelled else { return nil }
            await wakeups.wait(after: generation, until: min(deadline, nextDue ?? deadline), clock: clock)
        }
    }

    /// The unit `worker` may take now. A suspect goes only to a worker that holds nothing, and a worker holding a
    /// suspect takes nothing else; while suspects wait, workers take no new work, so one empties and takes them.
    private func nextUnit(for worker: WorkerID, in state: inout State) -> DeliveryUnit? {
        let holdings = state.holdings[worker] ?? WorkerHoldings()
        guard holdings.suspects == 0 else { return nil }
        if state.suspects.count > 0 {
            return holdings.units == 0 ? state.suspects.popFirst() : nil
        }
        return state.ready.popFirst()
    }

    public func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        let now = clock.now
        return settle(reservation, recording: delivery, advancingFallback: true) { state in
            if delivery?.status == .sent { state.count(\.sent, at: now) }
        }
    }

    public func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        let notificationID = reservation.unit.id.notificationID
        let held = state.withLock { state in
            guard state.unlease(reservation.token) != nil else { return false }
            // A notification canceled while this delivery was in flight gets no retry: it ends canceled.
            var canceled = false
            store.update(notificationID) { record in
                canceled = record.canceledAt != nil
                record.updateDelivery(reservation.unit.id) { stored in
                    stored = delivery
                    if canceled { stored.status = .canceled }
                }
            }
            if !canceled {
                state.schedule(unit, at: date)
                state.count(\.retried, at: clock.now)
            }
            return true
        }
        if held { wakeups.signal() }
        return held
    }

    public func cancel(_ notificationID: NotificationID) async throws -> Cancellation? {
        let now = clock.now
        return state.withLock { state in
            var result: Cancellation?
            store.update(notificationID) { record in
                let canceled = record.cancel(at: now)
                result = Cancellation(record: record, canceled: canceled.count)
            }
            for id in state.standby.keys where id.notificationID == notificationID { state.standby[id] = nil }
            if let record = result?.record, record.digest != nil, let topic = record.topic, let user = record.userID {
                digestKeys.release(DigestContents.key(topic: topic, user: user), ifHeldBy: notificationID)
            }
            return result
        }
    }

    public func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        let now = clock.now
        return settle(reservation, recording: delivery, advancingFallback: true) { state in
            bury(reservation.unit, reason: reason, now: now, attempts: delivery?.attempts, in: &state)
            state.count(\.failed, at: now)
        }
    }

    public func release(_ reservation: Reservation) async throws -> Bool {
        let held = settle(reservation, recording: nil) { state in state.giveBack(reservation.unit) }
        if held { wakeups.signal() }
        return held
    }

    public func openDigest(for key: String) async throws -> NotificationID? {
        digestKeys.existing(key)?.notificationID
    }

    public func appendToDigest(
        _ id: NotificationID, content: RenderedContent, contents: DigestContents, expectedCount: Int,
        idempotency claim: IdempotencyEntry?
    ) async throws -> DigestAppendOutcome {
        let now = clock.now
        return state.withLock { state in
            if let claim, let existing = idempotency.existing(claim.key) { return .duplicate(existing) }
            var outcome = DigestAppendOutcome.closed
            store.update(id) { record in
                guard record.isCollectingDigest(at: now) else { return }
                guard record.digest?.count == expectedCount else {
                    outcome = .changed
                    return
                }
                record.content = content
                record.digest = contents
                outcome = .appended
            }
            if outcome == .appended, let claim { idempotency.claim(claim) }
            if outcome == .appended { state.count(\.accepted, at: now) }
            return outcome
        }
    }

    public func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        let now = clock.now
        let requeued: [DeliveryID] = state.withLock { state in
            var requeued: [DeliveryID] = []
            store.update(notificationID) { record in
                for id in deliveries {
                    record.updateDelivery(id) { delivery in
                        guard delivery.status == .failed else { return }
                        delivery.status = .queued
                        delivery.fellBack = false
                        delivery.updatedAt = now
                        requeued.append(id)
                    }
                }
                // Like the Redis script: a requeue that requeued nothing leaves a canceled notification canceled.
                if !requeued.isEmpty { record.canceledAt = nil }
            }
            for id in requeued {
                state.dead.remove(id)
                state.ready.append(DeliveryUnit(id: id, readySince: now))
            }
            return requeued
        }
        if !requeued.isEmpty { wakeups.signal() }
        return requeued
    }

    public func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        let now = clock.now
        let expiresAt = now.adding(lease)
        state.withLock { state in
            state.workerLeases[worker] = (now, expiresAt)
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
                guard state.leases[token]?.worker == worker, let reservation = state.unlease(token) else { continue }
                state.giveBack(reservation.unit)
                released += 1
            }
            return released
        }
        if released > 0 { wakeups.signal() }
        return released
    }

    /// Returns the units of expired leases as suspects. Only a unit that was its worker's only one is blamed
    /// (its recovery count grows, and past ``Configuration/maxRecoveries`` it is dead-lettered as a poison pill):
    /// the units held beside it are innocent until one of them, delivered alone, takes a worker down.
    public func recoverExpiredLeases() async throws -> LeaseRecovery {
        let now = clock.now
        let recovery = state.withLock { state in
            var recovery = LeaseRecovery()
            pruneDeadLetters(in: &state, now: now)
            let expired = state.leases.values.filter { $0.expiresAt <= now }.sorted { $0.expiresAt < $1.expiresAt }
            let heldPerWorker = Dictionary(uniqueKeysWithValues: Set(expired.map(\.worker)).map {
                ($0, state.holdings[$0]?.units ?? 0)
            })
            for reservation in expired {
                _ = state.unlease(reservation.token)
                var unit = reservation.unit
                unit.isSuspect = true
                if heldPerWorker[reservation.worker] == 1 || reservation.unit.isSuspect { unit.recoveries += 1 }
                if unit.recoveries > configuration.maxRecoveries {
                    let reason = "poison pill: its lease expired \(unit.recoveries) times (workers crashed or hung)"
                    markFailed(unit.id, reason: reason, now: now, in: &state)
                    bury(unit, reason: reason, now: now, in: &state)
                    recovery.deadLettered += 1
                } else {
                    unit.readySince = now
                    state.suspects.append(unit)
                    recovery.recovered += 1
                }
            }
            return recovery
        }
        if recovery.recovered + recovery.deadLettered > 0 { wakeups.signal() }
        return recovery
    }

    public func throughput(minutes: Int) async throws -> [ThroughputMinute] {
        let current = ThroughputMinute.index(of: clock.now)
        return state.withLock { state in
            ((current - max(1, min(minutes, 60)) + 1)...current).map {
                state.throughput[$0] ?? ThroughputMinute(start: Date(timeIntervalSince1970: Double($0) * 60))
            }
        }
    }

    public func statistics(channels: [ChannelName]) async throws -> QueueStatistics {
        let now = clock.now
        return state.withLock { state in
            var stats = Dictionary(uniqueKeysWithValues: channels.map { ($0, QueueStatistics.Channel()) })
            for unit in [state.ready.units, state.suspects.units].joined() {
                stats[unit.id.channel, default: QueueStatistics.Channel()].ready += 1
                let oldest = stats[unit.id.channel]?.oldestReadySince
                if oldest == nil || unit.readySince < oldest! { stats[unit.id.channel]?.oldestReadySince = unit.readySince }
            }
            for (_, unit) in state.scheduled { stats[unit.id.channel, default: QueueStatistics.Channel()].scheduled += 1 }
            var inFlight: [WorkerID: Int] = [:]
            for reservation in state.leases.values {
                stats[reservation.unit.id.channel, default: QueueStatistics.Channel()].inFlight += 1
                inFlight[reservation.worker, default: 0] += 1
            }
            for (channel, count) in state.dead.countsByChannel { stats[channel, default: QueueStatistics.Channel()].dead = count }
            for (worker, lease) in state.workerLeases where lease.expiresAt <= now { state.workerLeases[worker] = nil }
            let workers = state.workerLeases.sorted { $0.key < $1.key }.map {
                QueueStatistics.Worker(id: $0.key, lastHeartbeat: $0.value.lastSeen, inFlight: inFlight[$0.key] ?? 0)
            }
            return QueueStatistics(channels: stats, workers: workers, isComplete: true, takenAt: now)
        }
    }

    public func depth() async throws -> QueueDepth {
        state.withLock { state in
            QueueDepth(
                ready: state.ready.count + state.suspects.count, inFlight: state.leases.count,
                scheduled: state.scheduled.count, dead: state.dead.count,
                oldestReadySince: [state.ready.first?.readySince, state.suspects.first?.readySince].compactMap { $0 }.min(),
                nextScheduledAt: state.scheduled.first?.due)
        }
    }

    public func deadLetterPage(channel: ChannelName?, limit: Int, after cursor: String?) async throws -> DeadLetterPage {
        let before = try cursor.map { text throws(HeraldError) -> Int in
            guard let sequence = Int(text), sequence > 0 else {
                throw HeraldError(.invalidValue, "cursor is not one this server returned", field: "cursor")
            }
            return sequence
        }
        let page = state.withLock { $0.dead.page(channel: channel, limit: max(0, limit), before: before) }
        return DeadLetterPage(letters: page.letters, nextCursor: page.next.map(String.init))
    }

    public func deadLetters(of deliveries: [DeliveryID]) async throws -> [DeadLetter] {
        state.withLock { state in deliveries.compactMap { state.dead.letter(of: $0) } }
    }

    public func removeDeadLetters(of deliveries: [DeliveryID]) async throws -> Int {
        state.withLock { state in
            var removed = 0
            for id in deliveries where state.dead.letter(of: id) != nil {
                state.dead.remove(id)
                removed += 1
            }
            return removed
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        state.withLock { $0.dead.newest(max(0, limit)) }
    }

    private func settle(
        _ reservation: Reservation, recording delivery: DeliveryRecord?, advancingFallback: Bool = false,
        _ transition: (inout State) -> Void
    ) -> Bool {
        let now = clock.now
        let notificationID = reservation.unit.id.notificationID
        let (held, activated) = state.withLock { state -> (Bool, Bool) in
            guard state.unlease(reservation.token) != nil else { return (false, false) }
            var activated: [String] = []
            var leftStandby: [String] = []
            if let delivery {
                store.update(notificationID) { record in
                    record.updateDelivery(delivery.id(in: notificationID)) { $0 = delivery }
                    guard advancingFallback, !record.fallbackSteps.isEmpty else { return }
                    activated = record.advanceFallback(after: delivery.key, at: now)
                    leftStandby = record.deliveries.filter { $0.status != .standby }.map(\.key)
                }
            }
            activate(activated, of: notificationID, now: now, in: &state)
            // The later steps of a chain a sent step ended are skipped: their units will never be needed.
            for key in leftStandby { state.standby[DeliveryID(notificationID: notificationID, key: key)] = nil }
            transition(&state)
            return (true, !activated.isEmpty)
        }
        if activated { wakeups.signal() }
        return held
    }

    private func promoteDueRetries(in state: inout State, now: Date) {
        let dueCount = state.scheduled.prefix { $0.due <= now }.count
        guard dueCount > 0 else { return }
        for (due, unit) in state.scheduled.prefix(dueCount) {
            var unit = unit
            unit.readySince = due
            if unit.isSuspect { state.suspects.append(unit) } else { state.ready.append(unit) }
        }
        state.scheduled.removeFirst(dueCount)
    }

    private func bury(_ unit: DeliveryUnit, reason: String, now: Date, attempts: Int? = nil, in state: inout State) {
        state.dead.insert(DeadLetter(unit: unit, reason: reason, deadAt: now, attempts: attempts))
        pruneDeadLetters(in: &state, now: now)
    }

    /// Keeps the dead-letter list within its count and age bounds (it is in time order).
    private func pruneDeadLetters(in state: inout State, now: Date) {
        state.dead.prune(olderThan: now.adding(.zero - configuration.deadLetterMaxAge), keepingAtMost: configuration.deadLetterLimit)
    }

    /// Marks a delivery failed and moves its fallback chain on.
    private func markFailed(_ id: DeliveryID, reason: String, now: Date, in state: inout State) {
        var activated: [String] = []
        store.update(id.notificationID) { record in
            record.updateDelivery(id) { delivery in
                delivery.status = .failed
                delivery.lastError = reason
                delivery.updatedAt = now
            }
            activated = record.advanceFallback(after: id.key, at: now)
        }
        activate(activated, of: id.notificationID, now: now, in: &state)
    }

    /// Makes the standby units of a fallback step that just became queued ready.
    private func activate(_ keys: [String], of notificationID: NotificationID, now: Date, in state: inout State) {
        for key in keys {
            guard var unit = state.standby.removeValue(forKey: DeliveryID(notificationID: notificationID, key: key)) else {
                continue
            }
            unit.readySince = now
            state.ready.append(unit)
        }
    }
}
