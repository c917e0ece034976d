public import Foundation

/// The persisted state of one delivery: its status and the history a caller needs to understand it.
public struct DeliveryRecord: Hashable, Sendable, Codable {
    /// The channel this delivery goes through.
    public var channel: ChannelName
    /// Where the delivery stands.
    public var status: DeliveryStatus
    /// Attempts counted against `max_attempts` (rate-limited sends do not count).
    public var attempts: Int
    /// The last error, redacted; nil until an attempt fails.
    public var lastError: String?
    /// When this record last changed.
    public var updatedAt: Date

    public init(
        channel: ChannelName, status: DeliveryStatus, attempts: Int = 0, lastError: String? = nil, updatedAt: Date
    ) {
        self.channel = channel
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.updatedAt = updatedAt
    }
}
