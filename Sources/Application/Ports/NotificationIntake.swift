public import HeraldDomain

/// Where accepted notifications go in: `SendNotification` and `RetryNotification` depend on this role only.
public protocol NotificationIntake: Sendable {
    /// Persists a notification and queues its units, atomically (see ``DeliveryQueue``).
    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome

    /// Marks the given failed deliveries of a notification `queued` again and makes fresh units for them
    /// ready, removing their dead letters; costs O(deliveries named), whatever the number of dead letters.
    /// Returns the deliveries that were requeued.
    func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID]

    /// Marks every delivery of a notification that is not final `canceled`, atomically; a unit still queued or
    /// scheduled is then dropped by the worker that takes it, and one in flight ends as what it really was
    /// (`sent` stays `sent`; a retry it would schedule ends `canceled`). Nil when the notification is unknown.
    func cancel(_ notificationID: NotificationID) async throws -> Cancellation?

    /// A new notification id, placed with `key`: the digest, dedupe or idempotency key the notification will claim
    /// (the first it has), or nil. A partitioned queue keeps a notification in the partition of the key it claims,
    /// so a later request with that key meets the claim, and the id names that partition. Others draw one at random.
    func newNotificationID(placedWith key: String?) -> NotificationID
}

extension NotificationIntake {
    /// A random id: a queue in one piece places every notification alike.
    public func newNotificationID(placedWith key: String?) -> NotificationID {
        NotificationID.generate()
    }
}

/// What a cancel did: the record afterwards, and how many deliveries it canceled (0: nothing was left to cancel).
public struct Cancellation: Hashable, Sendable {
    public var record: NotificationRecord
    public var canceled: Int

    public init(record: NotificationRecord, canceled: Int) {
        self.record = record
        self.canceled = canceled
    }
}
