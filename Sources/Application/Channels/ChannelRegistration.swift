public import HeraldDomain

/// A channel implementation under its configured name, with what routing needs to know of it.
public struct ChannelRegistration: Sendable {
    public var descriptor: ChannelDescriptor
    public var channel: any NotificationChannel

    /// Registers `channel` as `name`; `contactKind` says which user address it needs (nil for none),
    /// `defaultRecipients` are used when the user has no such address.
    public init(
        _ name: ChannelName, channel: any NotificationChannel, contactKind: ContactKind? = nil,
        defaultRecipients: [String] = []
    ) {
        self.descriptor = ChannelDescriptor(
            name: name, contactKind: contactKind, defaultRecipients: defaultRecipients)
        self.channel = channel
    }

    public var name: ChannelName { descriptor.name }
}
