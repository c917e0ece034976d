/// Identifies one delivery: a notification on one channel, and on channels that make one provider
/// request per recipient (SMS), one recipient. Stable across retries, so a receiver can use it to drop
/// duplicates (it is the webhook channel's `webhook-id`).
public struct DeliveryID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The notification this delivery belongs to.
    public let notificationID: NotificationID
    /// The channel this delivery goes through.
    public let channel: ChannelName
    /// The one address this delivery goes to, on channels with a delivery per recipient; nil otherwise.
    public let recipient: String?

    public init(notificationID: NotificationID, channel: ChannelName, recipient: String? = nil) {
        self.notificationID = notificationID
        self.channel = channel
        self.recipient = recipient
    }

    /// `"<notification id>.<channel>"`, followed by `.<hash of the recipient>` for per-recipient
    /// deliveries (the address itself never appears in it).
    public var description: String {
        let base = "\(notificationID.rawValue).\(channel.rawValue)"
        guard let recipient else { return base }
        return base + "." + String(Self.fnv1a(recipient), radix: 16)
    }

    /// The key of this delivery within its notification: the channel, or `channel|recipient`.
    /// Channel names cannot contain `|`, so keys never collide.
    public var key: String {
        recipient.map { "\(channel.rawValue)|\($0)" } ?? channel.rawValue
    }

    /// The delivery of `notificationID` named by `key` (see ``key``).
    public init(notificationID: NotificationID, key: some StringProtocol) {
        if let bar = key.firstIndex(of: "|") {
            self.init(
                notificationID: notificationID, channel: ChannelName(String(key[..<bar])),
                recipient: String(key[key.index(after: bar)...]))
        } else {
            self.init(notificationID: notificationID, channel: ChannelName(String(key)))
        }
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
