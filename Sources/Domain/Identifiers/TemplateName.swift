/// The configured name of a message template (`welcome`).
public struct TemplateName: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
