/// A push channel's credentials cannot be used (a key of the wrong type, a service-account file missing a
/// field). The message names the problem, never the secret.
public struct PushCredentialError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
