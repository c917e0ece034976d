public import HeraldDomain

/// Requeues the failed deliveries of a notification ("resend"), each with a fresh attempt budget.
/// Deliveries that were sent are never sent again by a retry.
public struct RetryNotification: Sendable {
    private let store: any NotificationStore
    private let queue: any NotificationIntake

    public init(store: any NotificationStore, queue: any NotificationIntake) {
        self.store = store
        self.queue = queue
    }

    /// Requeues every failed delivery of `id` and returns them as `queued`.
    /// - Throws: `not_found`, or `nothing_to_retry` when no delivery has failed.
    public func callAsFunction(_ id: NotificationID) async throws -> NotificationReceipt {
        let record = try await GetNotificationStatus(store: store)(id)
        let failed = record.deliveries.filter { $0.status == .failed }.map { $0.id(in: id) }
        guard !failed.isEmpty else {
            throw HeraldError(.nothingToRetry, "notification \"\(id)\" has no failed delivery to retry", field: "id")
        }
        let requeued = try await queue.requeue(id, deliveries: failed)
        guard !requeued.isEmpty else {
            throw HeraldError(.nothingToRetry, "notification \"\(id)\" has no failed delivery to retry", field: "id")
        }
        return NotificationReceipt(
            id: id, status: .pending,
            deliveries: requeued.map {
                NotificationReceipt.Delivery(channel: $0.channel, recipient: $0.recipient, status: .queued)
            })
    }
}
