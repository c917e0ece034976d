/// One delivery a notification gets: a channel (and, on channels with a delivery per recipient, one
/// address), and whether it is skipped because the user muted the topic.
public struct DeliveryTarget: Hashable, Sendable {
    public var channel: ChannelName
    /// The one address of a per-recipient delivery (SMS); nil when the channel sends once for everyone.
    public var recipient: String?
    public var isSkipped: Bool

    public init(channel: ChannelName, recipient: String? = nil, isSkipped: Bool = false) {
        self.channel = channel
        self.recipient = recipient
        self.isSkipped = isSkipped
    }
}
