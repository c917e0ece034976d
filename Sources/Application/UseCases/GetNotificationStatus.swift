public import HeraldDomain

/// Reads a notification with every delivery's status, attempts and last error.
public struct GetNotificationStatus: Sendable {
    private let store: any NotificationStore

    public init(store: any NotificationStore) {
        self.store = store
    }

    /// The record of `id`.
    /// - Throws: `not_found` when Herald does not know it (or no longer keeps it), `queue_unavailable`
    ///   when the store cannot be reached.
    public func callAsFunction(_ id: NotificationID) async throws -> NotificationRecord {
        guard let record = try await store.record(for: id) else {
            throw HeraldError(.notFound, "notification \"\(id)\" was not found", field: "id")
        }
        return record
    }
}
