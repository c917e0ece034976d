public import HeraldDomain

/// Reads persisted notifications. Writes happen through ``DeliveryQueue``, atomically with the
/// queue transition they belong to. A backend failure is thrown as `HeraldError(.queueUnavailable)`.
public protocol NotificationStore: Sendable {
    /// The record of `id`, or nil when it is unknown or past its retention period.
    func record(for id: NotificationID) async throws -> NotificationRecord?
}
