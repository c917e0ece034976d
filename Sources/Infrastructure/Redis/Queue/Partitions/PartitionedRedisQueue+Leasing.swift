package import Foundation
package import HeraldApplication
import Synchronization
package import HeraldDomain

extension PartitionedRedisQueue {
    /// Takes from every partition in turn: the round starts one partition further every ``reserveGroup`` calls
    /// (concurrent calls then share the start partition's script calls), so a deep partition never starves the
    /// others (a unit in any partition is reached within `partitions × reserveGroup` calls). When a round finds
    /// nothing, the call waits on one partition (turning with every call, so concurrent reserves wait on different
    /// ones) for at most ``blockingSlice`` at a time. While the queue is idle only one round per ``blockingSlice``
    /// is made in this process, whichever call comes first (an idle worker costs a round per slice, not one per
    /// delivery loop), so a unit in a partition nobody waits on is taken within a slice.
    ///
    /// A partition that cannot be reached is passed over: the others are still served, and the call throws only
    /// when none could be asked. Isolation holds across partitions: while a worker holds a suspect, or empties to
    /// take one, whatever a partition hands it is given back at once.
    package func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation? {
        let started = ContinuousClock.now
        let first = nextRound.wrappingAdd(1, ordering: .relaxed).oldValue / reserveGroup
        while true {
            if holdings.admission(of: worker) == .isolated, holdings.mayRefresh(worker) {
                // Isolated by what this process thinks the worker holds: first forget what it no longer holds
                // (a lease recovered by another process while this one was stalled).
                _ = try await leasedTokens(of: worker)
            }
            if holdings.admission(of: worker) == .open, wait == .zero || idleRounds.mayGoRound() {
                var failure: (any Error)?
                var asked = 0
                for offset in 0..<partitions.count {
                    let index = (first &+ offset) % partitions.count
                    do {
                        if let taken = try await take(from: index, for: worker, lease: lease, waitingUpTo: .zero) {
                            idleRounds.foundWork()
                            return taken
                        }
                        asked += 1
                    } catch where !(error is CancellationError) {
                        failure = failure ?? error
                    }
                    if holdings.admission(of: worker) == .isolated { break }
                }
                if asked == 0, let failure { throw failure }
                idleRounds.foundNothing()
            }
            let remaining = wait - started.duration(to: .now)
            guard remaining > .zero, !Task.isCancelled else { return nil }
            if holdings.admission(of: worker) == .isolated {
                try? await Task.sleep(for: min(remaining, isolationPoll))
                continue
            }
            let index = nextWait.wrappingAdd(1, ordering: .relaxed).oldValue % partitions.count
            do {
                if let taken = try await take(from: index, for: worker, lease: lease, waitingUpTo: min(remaining, blockingSlice)) {
                    idleRounds.foundWork()
                    return taken
                }
            } catch where !(error is CancellationError) {
                // That partition is out of reach: the next call waits on another, after a moment.
                try? await Task.sleep(for: min(remaining, isolationPoll))
            }
        }
    }

    /// One partition's reserve, with what it hands over recorded for isolation; a unit the worker may not hold
    /// now goes back to its partition at once (nil).
    private func take(from index: Int, for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    {
        guard let taken = try await partitions[index].queue.reserve(for: worker, lease: lease, waitingUpTo: wait) else {
            return nil
        }
        if holdings.take(taken) { return taken }
        do {
            // Refused beside what this process thinks the worker holds: ask the queue what it really holds first.
            _ = try await leasedTokens(of: worker)
            if holdings.take(taken) { return taken }
        } catch {
            _ = try? await partitions[index].queue.release(taken)
            throw error
        }
        _ = try await partitions[index].queue.release(taken)
        return nil
    }

    package func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        try await settled(reservation) { try await $0.acknowledge(reservation, recording: delivery) }
    }

    package func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        try await settled(reservation) { try await $0.scheduleRetry(reservation, as: unit, at: date, recording: delivery) }
    }

    package func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        try await settled(reservation) { try await $0.deadLetter(reservation, reason: reason, recording: delivery) }
    }

    package func release(_ reservation: Reservation) async throws -> Bool {
        try await settled(reservation) { try await $0.release(reservation) }
    }

    /// Settles in the partition the reservation was taken from (its notification's), and forgets the unit once the
    /// settle is answered: a settle that failed may be repeated, and the unit is still held meanwhile.
    private func settled(_ reservation: Reservation, _ settle: (RedisDeliveryQueue) async throws -> Bool) async throws
        -> Bool
    {
        let held = try await settle(partition(of: reservation.unit.id.notificationID).queue)
        holdings.drop([reservation.token], of: reservation.worker)
        return held
    }

    // MARK: - Maintenance: every partition, at once

    /// The heartbeat goes to every partition, since a worker may hold leases in each.
    package func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        _ = try await everyPartition { try await $0.queue.renewLeases(of: worker, for: lease) }
    }

    /// What the worker holds in every partition; what this process thought it held beyond that (a lease another
    /// process recovered) is forgotten here, so isolation never waits for a unit the worker no longer has.
    package func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        let asked = holdings.snapshot(of: worker)
        let tokens = try await everyPartition { try await $0.queue.leasedTokens(of: worker) }
            .reduce(into: Set<String>()) { $0.formUnion($1) }
        holdings.keep(only: tokens, of: worker, amongst: asked)
        return tokens
    }

    /// Each partition releases the tokens its list holds (a token is in one list only).
    package func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        guard !tokens.isEmpty else { return 0 }
        let released = try await everyPartition { try await $0.queue.releaseLeases(of: worker, tokens: tokens) }.reduce(0, +)
        holdings.drop(tokens, of: worker)
        return released
    }

    package func recoverExpiredLeases() async throws -> LeaseRecovery {
        try await everyPartition { try await $0.queue.recoverExpiredLeases() }.reduce(into: LeaseRecovery()) {
            $0.recovered += $1.recovered
            $0.deadLettered += $1.deadLettered
        }
    }

    /// `body` on every partition concurrently, each run to its end (one partition out of reach does not stop the
    /// others' heartbeats or recoveries); the results in partition order, or the first error once all have run.
    func everyPartition<T: Sendable>(_ body: @escaping @Sendable (Partition) async throws -> T) async throws -> [T] {
        let outcomes = await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for (index, partition) in partitions.enumerated() {
                group.addTask {
                    do { return (index, .success(try await body(partition))) } catch { return (index, .failure(error)) }
                }
            }
            var outcomes = [Result<T, any Error>?](repeating: nil, count: partitions.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        return try outcomes.map { try $0!.get() }
    }
}
