/// The bytes from the server are not valid RESP2; the connection cannot be trusted after this.
package struct RESPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, and at which byte offset of the reply.
    package let reason: String
    package let offset: Int

    package init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    package var description: String { "invalid RESP at byte \(offset): \(reason)" }
}
