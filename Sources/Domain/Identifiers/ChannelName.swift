/// The configured name of a channel (`slack`, `email`), chosen by the user, not the channel's type.
public struct ChannelName: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
