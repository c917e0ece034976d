/// Where one delivery stands. `sent` means the provider accepted it, not that a person read it.
public enum DeliveryStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Waiting in the queue for its first attempt.
    case queued
    /// Held until its time (`send_at`, `delay_s`); then it is delivered like a queued one.
    case scheduled
    /// A later step of a fallback chain: queued only if the steps before it fail.
    case standby
    /// An attempt failed transiently (or was rate limited); another is scheduled.
    case retrying
    /// The channel's provider accepted the message.
    case sent
    /// Permanently failed or out of attempts; dead-lettered and retried only on request.
    case failed
    /// Not sent on purpose (the user muted the topic on this channel).
    case skipped
    /// Canceled before it was sent (`POST /v1/notifications/{id}/cancel`).
    case canceled

    /// Whether no further automatic work will happen for this delivery.
    public var isFinal: Bool { self == .sent || self == .failed || self == .skipped || self == .canceled }

    /// Whether the delivery still has work ahead: queued, scheduled or retrying.
    public var isOpen: Bool { !isFinal }
}
