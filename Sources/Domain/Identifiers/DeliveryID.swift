/// Identifies one delivery: a notification on one channel. Stable across retries, so a receiver can
/// use it to drop duplicates (it is the webhook channel's `webhook-id`).
public struct DeliveryID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The notification this delivery belongs to.
    public let notificationID: NotificationID
    /// The channel this delivery goes through.
    public let channel: ChannelName

    public init(notificationID: NotificationID, channel: ChannelName) {
        self.notificationID = notificationID
        self.channel = channel
    }

    /// `"<notification id>.<channel>"`.
    public var description: String { "\(notificationID.rawValue).\(channel.rawValue)" }
}
