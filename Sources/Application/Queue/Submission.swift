public import Foundation
public import HeraldDomain

/// Everything ``NotificationIntake/enqueue(_:)`` persists in one step.
public struct Submission: Hashable, Sendable {
    /// The accepted notification.
    public var record: NotificationRecord
    /// The units to make ready: one per delivery that is not skipped.
    public var units: [DeliveryUnit]
    /// The idempotency key to claim for this notification, if the caller sent one.
    public var idempotency: IdempotencyEntry?
    /// When the units become ready: nil for now, or the scheduled time (they wait like retries until then).
    public var readyAt: Date?

    public init(record: NotificationRecord, units: [DeliveryUnit], idempotency: IdempotencyEntry?, readyAt: Date? = nil) {
        self.readyAt = readyAt
        self.record = record
        self.units = units
        self.idempotency = idempotency
    }
}

/// What ``NotificationIntake/enqueue(_:)`` did.
public enum SubmissionOutcome: Hashable, Sendable {
    /// The notification is persisted and its units are ready.
    case accepted
    /// The idempotency key was already claimed; nothing was written. The entry says by which request.
    case duplicate(IdempotencyEntry)
}
