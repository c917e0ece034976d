/// A configuration value that must never be printed: tokens, passwords, URLs with credentials.
/// Its `description` is redacted; read ``value`` only where it is used.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
