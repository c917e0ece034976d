/// What a notification is about (`sales`, `pricing`); routes map topics to channels.
public struct Topic: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
