public import HeraldDomain

/// A user's contact details as the contact-info endpoint returns them.
public struct ContactInfo: Hashable, Sendable, Codable {
    public var email: String?
    public var sms: String?
    public var preferredChannel: ChannelName?

    public init(email: String?, sms: String?, preferredChannel: ChannelName?) {
        self.email = email
        self.sms = sms
        self.preferredChannel = preferredChannel
    }

    enum CodingKeys: String, CodingKey {
        case email, sms
        case preferredChannel = "preferred_channel"
    }
}
