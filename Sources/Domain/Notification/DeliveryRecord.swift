public import Foundation

/// The persisted state of one delivery: its status and the history a caller needs to understand it.
public struct DeliveryRecord: Hashable, Sendable, Codable {
    /// The channel this delivery goes through.
    public var channel: ChannelName
    /// The one address this delivery goes to, on channels with a delivery per recipient (SMS); nil when
    /// the channel sends once for everyone (chat, webhook, one email to every `to`).
    public var recipient: String?
    /// Where the delivery stands.
    public var status: DeliveryStatus
    /// Every send Herald made for this delivery, rate-limited ones and resends included.
    public var attempts: Int
    /// The last error, redacted; nil until an attempt fails.
    public var lastError: String?
    /// When this record last changed.
    public var updatedAt: Date
    /// Why a `skipped` delivery was not sent (a mute, an opt-out); nil otherwise.
    public var reason: String?

    public init(
        channel: ChannelName, recipient: String? = nil, status: DeliveryStatus, attempts: Int = 0,
        lastError: String? = nil, updatedAt: Date, reason: String? = nil
    ) {
        self.reason = reason
        self.channel = channel
        self.recipient = recipient
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    /// The delivery's key within its notification (see ``DeliveryID/key``).
    public var key: String { DeliveryID(notificationID: "", channel: channel, recipient: recipient).key }

    /// The identifier of this delivery of notification `id`.
    public func id(in notification: NotificationID) -> DeliveryID {
        DeliveryID(notificationID: notification, channel: channel, recipient: recipient)
    }
}
