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
    /// Isolation holds across partitions: a worker holding a suspect takes nothing more, and a suspect one
    /// partition hands a worker that holds units of others is given back at once; the worker then takes nothing
    /// until it is empty, when the suspect is its next unit.
    package func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation? {
        let started = ContinuousClock.now
        let first = nextRound.wrappingAdd(1, ordering: .relaxed).oldValue / reserveGroup
        while true {
            if holdings.admission(of: worker) == .isolated {
                // Isolated by what this process thinks the worker holds: first forget what it no longer holds
                // (a lease recovered by another process while this one was stalled).
                _ = try await leasedTokens(of: worker)
            }
            if holdings.admission(of: worker) == .open, wait == .zero || idleRounds.mayGoRound() {
                for offset in 0..<partitions.count {
                    let index = (first &+ offset) % partitions.count
                    if let taken = try await partitions[index].queue.reserve(for: worker, lease: lease, waitingUpTo: .zero),
                        try await admit(taken, from: index)
                    {
                        idleRounds.foundWork()
                        return taken
                    }
                    if holdings.admission(of: worker) == .isolated { break }
                }
                idleRounds.foundNothing()
            }
            let remaining = wait - started.duration(to: .now)
            guard remaining > .zero, !Task.isCancelled else { return nil }
            if holdings.admission(of: worker) == .isolated {
                try? await Task.sleep(for: min(remaining, isolationPoll))
                continue
            }
            let index = nextWait.wrappingAdd(1, ordering: .relaxed).oldValue % partitions.count
            if let taken = try await partitions[index].queue.reserve(
                for: worker, lease: lease, waitingUpTo: min(remaining, blockingSlice)),
                try await admit(taken, from: index)
            {
                idleRounds.foundWork()
                return taken
            }
        }
    }

    /// Records what a partition handed over; a suspect the worker may not hold now goes back to its partition.
    private func admit(_ taken: Reservation, from index: Int) async throws -> Bool {
        if holdings.take(taken) { return true }
        // Held beside what this process thinks the worker holds: ask the queue what it really holds first.
        _ = try await leasedTokens(of: taken.worker)
        if holdings.take(taken) { return true }
        _ = try await partitions[index].queue.release(taken)
        return false
    }

    package func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        defer { holdings.drop([reservation.token], of: reservation.worker) }
        return try await holder(of: reservation).acknowledge(reservation, recording: delivery)
    }

    package func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        defer { holdings.drop([reservation.token], of: reservation.worker) }
        return try await holder(of: reservation).scheduleRetry(reservation, as: unit, at: date, recording: delivery)
    }

    package func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        defer { holdings.drop([reservation.token], of: reservation.worker) }
        return try await holder(of: reservation).deadLetter(reservation, reason: reason, recording: delivery)
    }

    package func release(_ reservation: Reservation) async throws -> Bool {
        defer { holdings.drop([reservation.token], of: reservation.worker) }
        return try await holder(of: reservation).release(reservation)
    }

    /// The partition a reservation was taken from: its notification's.
    private func holder(of reservation: Reservation) -> RedisDeliveryQueue {
        partition(of: reservation.unit.id.notificationID).queue
    }

    // MARK: - Maintenance: every partition, at once

    /// The heartbeat goes to every partition, since a worker may hold leases in each.
    package func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        _ = try await everyPartition { try await $0.queue.renewLeases(of: worker, for: lease) }
    }

    /// What the worker holds in every partition; what this process thought it held beyond that (a lease another
    /// process recovered) is forgotten here, so isolation never waits for a unit the worker no longer has.
    package func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        let tokens = try await everyPartition { try await $0.queue.leasedTokens(of: worker) }
            .reduce(into: Set<String>()) { $0.formUnion($1) }
        holdings.keep(only: tokens, of: worker)
        return tokens
    }

    /// Each partition releases the tokens its list holds (a token is in one list only).
    package func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        guard !tokens.isEmpty else { return 0 }
        defer { holdings.drop(tokens, of: worker) }
        return try await everyPartition { try await $0.queue.releaseLeases(of: worker, tokens: tokens) }.reduce(0, +)
    }

    package func recoverExpiredLeases() async throws -> LeaseRecovery {
        try await everyPartition { try await $0.queue.recoverExpiredLeases() }.reduce(into: LeaseRecovery()) {
            $0.recovered += $1.recovered
            $0.deadLettered += $1.deadLettered
        }
    }

    /// `body` on every partition concurrently; the results in partition order. The first error is thrown.
    func everyPartition<T: Sendable>(_ body: @escaping @Sendable (Partition) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, partition) in partitions.enumerated() {
                group.addTask { (index, try await body(partition)) }
            }
            var results = [T?](repeating: nil, count: partitions.count)
            for try await (index, value) in group { results[index] = value }
            return results.map { $0! }
        }
    }
}
