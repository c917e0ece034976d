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
    /// The `dedupe_key` to claim for its window (the entry's `expiresAt`); the fingerprint is unused, since
    /// deduplicated requests may differ.
    public var dedupe: IdempotencyEntry?
    /// The units of a fallback chain's later steps: kept with the record, made ready only when the step before fails.
    public var standby: [DeliveryUnit]
    /// The claim of a new digest (key ``DigestContents/key(topic:user:)``, held until the digest is due): while
    /// another notification holds it, nothing is written and the answer is `deduplicated` naming that digest.
    /// Never set together with ``dedupe``.
    public var digest: IdempotencyEntry?

    public init(
        record: NotificationRecord, units: [DeliveryUnit], idempotency: IdempotencyEntry?, readyAt: Date? = nil,
        dedupe: IdempotencyEntry? = nil, standby: [DeliveryUnit] = [], digest: IdempotencyEntry? = nil
    ) {
        self.digest = digest
        self.standby = standby
        self.dedupe = dedupe
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
    /// The dedupe key is held by an earlier notification inside its window; nothing was written. The entry names
    /// that notification.
    case deduplicated(IdempotencyEntry)
}
