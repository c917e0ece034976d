public import Foundation
public import HeraldDomain

/// The durable heart of Herald: accepted notifications, their delivery units, leases and dead letters.
///
/// Implementation requirements (the in-memory and Redis queues pass the same suite):
/// - ``enqueue(_:)`` stores the record, claims the idempotency key and makes the units ready
///   atomically: afterwards all of it exists, or (when it throws) none of it does.
/// - A reserved unit is invisible to other workers until its lease expires; after
///   ``recoverExpiredLeases()`` it is ready again, and after too many recoveries it is dead-lettered.
/// - Settling a reservation (``acknowledge(_:recording:)``, ``scheduleRetry(_:as:at:recording:)``,
///   ``deadLetter(_:reason:recording:)``, ``release(_:)``) succeeds only while the lease is held:
///   a stale worker gets `false` and changes nothing. The record update is applied atomically with it.
/// - A retry becomes ready at its time, not before.
public protocol DeliveryQueue: Sendable {
    /// Persists a notification and queues its units; see the type's requirements.
    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome

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

    /// Marks the given failed deliveries of a notification `queued` again and makes fresh units for them
    /// ready, removing their dead letters; costs O(deliveries named), whatever the number of dead letters.
    /// Returns the deliveries that were requeued.
    func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID]

    /// Extends every lease `worker` holds to `lease` from now: the worker's heartbeat, so a delivery
    /// that takes long is not recovered from a worker that is alive.
    func renewLeases(of worker: WorkerID, for lease: Duration) async throws

    /// The tokens of every unit `worker` holds now.
    func leasedTokens(of worker: WorkerID) async throws -> Set<String>

    /// Returns the units with `tokens` that `worker` still holds to the head of the ready list: how a live
    /// worker gives back reservations it lost track of (an error between reserving and settling), since its
    /// heartbeat would otherwise keep them leased forever. Returns how many were released.
    func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int

    /// Returns the units of expired leases to the ready list (dead-lettering repeat offenders).
    func recoverExpiredLeases() async throws -> LeaseRecovery

    /// Counts of ready, in-flight, scheduled and dead units.
    func depth() async throws -> QueueDepth

    /// The most recent dead letters, newest first.
    func deadLetters(limit: Int) async throws -> [DeadLetter]
}
