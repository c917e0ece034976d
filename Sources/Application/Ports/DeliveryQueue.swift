/// The durable heart of Herald, every role at once: what a queue backend implements (the in-memory and
/// Redis queues pass the same contract suite). Each use case depends only on the role it needs:
/// ``NotificationIntake`` (accept, resend), ``DeliveryLeasing`` (reserve and settle), ``LeaseMaintenance``
/// (heartbeats and recovery) and ``QueueInspection`` (counts, dead letters).
///
/// Implementation requirements:
/// - ``NotificationIntake/enqueue(_:)`` stores the record, claims the idempotency key and makes the units
///   ready atomically: afterwards all of it exists, or (when it throws) none of it does.
/// - A reserved unit is invisible to other workers until its lease expires; after
///   ``LeaseMaintenance/recoverExpiredLeases()`` it is ready again, and after too many recoveries it is
///   dead-lettered.
/// - Settling a reservation (acknowledge, retry, dead-letter, release) succeeds only while the lease is
///   held: a stale worker gets `false` and changes nothing. The record update is applied atomically with it.
/// - A retry becomes ready at its time, not before.
/// - Backend failures are thrown as `HeraldError(.queueUnavailable)` (with the backend's error as its
///   `underlying`), so no use case needs to know the backend's own error types.
public typealias DeliveryQueue = NotificationIntake & DeliveryLeasing & LeaseMaintenance & QueueInspection
