public import Foundation
public import HeraldDomain

/// Taking units to deliver and settling them: what a worker's delivery loop and `DeliverNotification` use.
/// Every settle succeeds only while the lease is held; a stale worker gets `false` and changes nothing.
public protocol DeliveryLeasing: Sendable {
    /// Takes the oldest ready unit for `worker`, leasing it for `lease`; waits up to `wait` for one.
    /// Returns nil when none became ready in time or the task was cancelled.
    func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation?

    /// Removes a finished unit and records its delivery's final state. Unknown leases are a no-op (`false`).
    func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool

    /// Puts the unit back, to become ready at `date`, with its updated counters.
    func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool

    /// Moves the unit to the dead-letter list with `reason`.
    func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?) async throws
        -> Bool

    /// Returns an unfinished unit to the head of the ready list without counting an attempt (graceful stop).
    func release(_ reservation: Reservation) async throws -> Bool
}
