public import HeraldDomain

/// A user's contact details as the contact-info endpoint returns them.
public struct ContactInfo: Hashable, Sendable, Codable {
    public var email: String?
    public var sms: String?
    public var preferredChannel: ChannelName?
    /// The user's push devices.
    public var devices: [Device]

    public init(email: String?, sms: String?, preferredChannel: ChannelName?, devices: [Device] = []) {
        self.email = email
        self.sms = sms
        self.preferredChannel = preferredChannel
        self.devices = devices
    }

    enum CodingKeys: String, CodingKey {
        case email, sms, devices
        case preferredChannel = "preferred_channel"
    }
}
