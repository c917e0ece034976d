/// Why a Redis command did not get a reply. Translated into `queue_unavailable` (or a retry) at the
/// edge of the Redis adapters; never carries the password.
package struct RedisError: Error, Hashable, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case connectionFailed = "connection failed"
            case connectionClosed = "connection closed"
            case timedOut = "timed out"
            case server = "server error"
            case protocolViolation = "protocol violation"
            case unexpectedReply = "unexpected reply"
            case invalidURL = "invalid URL"
        }

        private let base: Base
        package var description: String { base.rawValue }

        /// The TCP connection (or its handshake) could not be established.
        package static var connectionFailed: Code { Code(base: .connectionFailed) }
        /// The connection dropped with the command in flight; it may or may not have run.
        package static var connectionClosed: Code { Code(base: .connectionClosed) }
        /// No reply within the command timeout; the connection was discarded.
        package static var timedOut: Code { Code(base: .timedOut) }
        /// Redis answered with an error reply; ``RedisError/message`` is its text.
        package static var server: Code { Code(base: .server) }
        /// The server sent bytes that are not RESP.
        package static var protocolViolation: Code { Code(base: .protocolViolation) }
        /// A reply had a shape the caller did not expect.
        package static var unexpectedReply: Code { Code(base: .unexpectedReply) }
        /// A `redis://` URL could not be parsed.
        package static var invalidURL: Code { Code(base: .invalidURL) }
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "Redis \(code): \(message)" }
}

extension RedisError {
    /// A command refused by a connection retired after a topology change: it was never sent, so it may be sent again.
    static func retiredRefusal(_ connection: String) -> RedisError {
        RedisError(.connectionClosed, "the connection to \(connection) was retired; the command was not sent")
    }

    /// Whether this is a ``retiredRefusal(_:)``.
    var isRetiredRefusal: Bool {
        code == .connectionClosed && message.hasSuffix("was retired; the command was not sent")
    }
}
