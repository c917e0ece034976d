/// A push platform a device token belongs to.
public enum PushPlatform: String, Hashable, Sendable, Codable, CaseIterable {
    /// Apple Push Notification service.
    case apns
    /// Firebase Cloud Messaging.
    case fcm

    /// The contact kind a push channel of this platform asks for.
    public var contactKind: ContactKind { ContactKind(rawValue: rawValue)! }
}

/// One of a user's devices: the token its push platform handed the app, and which platform that is.
public struct Device: Hashable, Sendable, Codable {
    public var token: String
    public var platform: PushPlatform

    public init(token: String, platform: PushPlatform) {
        self.token = token
        self.platform = platform
    }
}
