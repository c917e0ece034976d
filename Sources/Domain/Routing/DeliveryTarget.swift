/// One delivery a notification gets: a channel (and, on channels with a delivery per recipient, one
/// address), and whether it is skipped because the user muted the topic.
public struct DeliveryTarget: Hashable, Sendable {
    public var channel: ChannelName
    /// The one address of a per-recipient delivery (SMS); nil when the channel sends once for everyone.
    public var recipient: String?
    /// Why it is not sent (a mute or an opt-out of the user's), or nil when it goes out.
    public var skipReason: String?
    /// Its step in a fallback chain (0 is tried first), or nil when it is sent alongside the others.
    public var step: Int?

    /// Whether it is recorded `skipped` instead of being queued.
    public var isSkipped: Bool { skipReason != nil }

    public init(channel: ChannelName, recipient: String? = nil, skipReason: String? = nil, step: Int? = nil) {
        self.step = step
        self.channel = channel
        self.recipient = recipient
        self.skipReason = skipReason
    }
}
