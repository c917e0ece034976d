/// The configured name of a channel (`slack`, `email`), chosen by the user, not the channel's type.
public struct ChannelName: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

extension ChannelName: CodingKeyRepresentable {
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// Encodes dictionaries keyed by channel name as JSON objects (`{"sms": …}`), not as arrays of pairs.
    public var codingKey: any CodingKey { Key(stringValue: rawValue) }

    public init?<T: CodingKey>(codingKey: T) { self.init(rawValue: codingKey.stringValue) }
}
