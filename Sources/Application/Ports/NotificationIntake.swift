public import HeraldDomain

/// Where accepted notifications go in: `SendNotification` and `RetryNotification` depend on this role only.
public protocol NotificationIntake: Sendable {
    /// Persists a notification and queues its units, atomically (see ``DeliveryQueue``).
    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome

    /// Marks the given failed deliveries of a notification `queued` again and makes fresh units for them
    /// ready, removing their dead letters; costs O(deliveries named), whatever the number of dead letters.
    /// Returns the deliveries that were requeued.
    func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID]
}
