public import HeraldDomain

/// Cancels the deliveries of a notification that are not sent yet (`POST /v1/notifications/{id}/cancel`).
public struct CancelNotification: Sendable {
    private let queue: any NotificationIntake

    public init(queue: any NotificationIntake) {
        self.queue = queue
    }

    /// Cancels every delivery of `id` still queued, scheduled or retrying; returns the record afterwards.
    /// - Throws: `not_found`, or `nothing_to_cancel` when every delivery is already final.
    public func callAsFunction(_ id: NotificationID) async throws -> NotificationRecord {
        guard let cancellation = try await queue.cancel(id) else {
            throw HeraldError(.notFound, "notification \"\(id)\" was not found", field: "id")
        }
        guard cancellation.canceled > 0 else {
            throw HeraldError(
                .nothingToCancel, "notification \"\(id)\" has no delivery left to cancel: all were sent, failed or skipped",
                field: "id")
        }
        return cancellation.record
    }
}
