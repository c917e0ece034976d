/// One channel a notification goes to, and whether it is skipped because the user muted the topic.
public struct DeliveryTarget: Hashable, Sendable {
    public var channel: ChannelName
    public var isSkipped: Bool

    public init(channel: ChannelName, isSkipped: Bool = false) {
        self.channel = channel
        self.isSkipped = isSkipped
    }
}
