public import HeraldDomain

/// A channel implementation under its configured name, with what routing needs to know of it.
public struct ChannelRegistration: Sendable {
    public var descriptor: ChannelDescriptor
    public var channel: any NotificationChannel
    /// The channel's shared send rate, if limited.
    public var rateLimit: RateLimit?

    /// Registers `channel` as `name`; `contactKind` says which user address it needs (nil for none),
    /// `defaultRecipients` are used when the user has no such address, `rateLimit` caps its send rate
    /// across all workers.
    public init(
        _ name: ChannelName, channel: any NotificationChannel, contactKind: ContactKind? = nil,
        defaultRecipients: [String] = [], rateLimit: RateLimit? = nil
    ) {
        self.rateLimit = rateLimit
        self.descriptor = ChannelDescriptor(
            name: name, contactKind: contactKind, defaultRecipients: defaultRecipients)
        self.channel = channel
    }

    public var name: ChannelName { descriptor.name }
}
