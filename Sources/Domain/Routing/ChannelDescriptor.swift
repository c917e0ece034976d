/// What routing and validation need to know of a configured channel, independent of how it sends.
public struct ChannelDescriptor: Hashable, Sendable {
    /// The channel's configured name.
    public var name: ChannelName
    /// The kind of address it needs, or nil when it posts to a fixed destination (Slack, webhook).
    public var contactKind: ContactKind?
    /// Addresses used when the request's user has none of ``contactKind`` (the channel's `to`).
    public var defaultRecipients: [String]
    /// Whether the channel makes one provider request per recipient (SMS), so each recipient gets a
    /// delivery of its own and a failure for one never resends to another.
    public var deliversPerRecipient: Bool

    /// - Parameter deliversPerRecipient: defaults to true for SMS, the contact kind sent one request per address.
    public init(
        name: ChannelName, contactKind: ContactKind? = nil, defaultRecipients: [String] = [],
        deliversPerRecipient: Bool? = nil
    ) {
        self.name = name
        self.contactKind = contactKind
        self.defaultRecipients = defaultRecipients
        self.deliversPerRecipient = deliversPerRecipient ?? (contactKind == .sms)
    }

    /// The addresses a delivery to `user` goes to: the user's contact of the needed kind, else the
    /// channel's defaults. Empty for channels that need no address.
    public func recipients(for contact: Contact?) -> [String] {
        guard let contactKind else { return [] }
        if let address = contact?.address(for: contactKind), !address.isEmpty { return [address] }
        return defaultRecipients
    }

    /// Whether a delivery to a user with `contact` has somewhere to go.
    public func canReach(_ contact: Contact?) -> Bool {
        contactKind == nil || !recipients(for: contact).isEmpty
    }
}
