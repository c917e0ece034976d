/// The bytes from the server are not valid RESP2; the connection cannot be trusted after this.
public struct RESPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, and at which byte offset of the reply.
    public let reason: String
    public let offset: Int

    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "invalid RESP at byte \(offset): \(reason)" }
}
