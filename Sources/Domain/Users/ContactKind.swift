/// The kind of address a channel needs to reach a person.
public enum ContactKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An email address.
    case email
    /// A phone number for text messages (E.164, `+15550002222`).
    case sms
    /// An APNs device token of one of the user's Apple devices.
    case apns
    /// An FCM registration token of one of the user's Android (or web) devices.
    case fcm

    /// The push platform whose device tokens this kind names; nil for email and SMS.
    public var pushPlatform: PushPlatform? { PushPlatform(rawValue: rawValue) }
}
