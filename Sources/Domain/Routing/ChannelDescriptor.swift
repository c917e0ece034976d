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

    /// - Parameter deliversPerRecipient: defaults to true for SMS and push, the contact kinds sent one request
    ///   per address (per device).
    public init(
        name: ChannelName, contactKind: ContactKind? = nil, defaultRecipients: [String] = [],
        deliversPerRecipient: Bool? = nil
    ) {
        self.name = name
        self.contactKind = contactKind
        self.defaultRecipients = defaultRecipients
        self.deliversPerRecipient = deliversPerRecipient ?? (contactKind == .sms || contactKind?.pushPlatform != nil)
    }

    /// The addresses a delivery to `user` goes to: the user's contact of the needed kind (every device of a
    /// push platform), else the channel's defaults. Empty for channels that need no address.
    public func recipients(for contact: Contact?) -> [String] {
        guard let contactKind else { return [] }
        let addresses = contact?.addresses(for: contactKind).filter { !$0.isEmpty } ?? []
        return addresses.isEmpty ? defaultRecipients : addresses
    }

    /// Whether a delivery to a user with `contact` has somewhere to go.
    public func canReach(_ contact: Contact?) -> Bool {
        contactKind == nil || !recipients(for: contact).isEmpty
    }
}
