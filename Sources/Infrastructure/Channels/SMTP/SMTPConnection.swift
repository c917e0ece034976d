import Foundation
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking SMTP conversation over a ``TCPSocket``. Every call blocks its thread, so it is only used
/// from the dedicated thread `SMTPEmailChannel` starts per message. One deadline, set when the
/// connection starts, bounds the whole transaction: connecting (every address of the host), each write
/// and each read, however slowly the server trickles its replies.
final class SMTPConnection {
    private let socket: TCPSocket
    private let deadline: ContinuousClock.Instant
    private var buffer: [UInt8] = []

    init(host: String, port: Int, timeout: Duration) throws {
        deadline = .now + timeout
        socket = try TCPSocket.open(host: host, port: port, deadline: deadline)
    }

    deinit {
        socket.closeDescriptor()
    }

    /// Sends `line` followed by CRLF.
    func send(line: String) throws {
        try write(Array((line + "\r\n").utf8))
    }

    /// Sends raw bytes (the message body).
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            guard try socket.waitUntilReady(for: Int16(POLLOUT), timeout: remaining()) else { throw timeoutError() }
            let written = try bytes[offset...].withUnsafeBytes { try socket.write($0) }
            offset += written
        }
    }

    /// Reads one reply, following `250-` continuation lines to the final `250 ` line.
    func readReply() throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPReplyError(command: "read", reply: SMTPReply(code: 0, lines: ["malformed reply: \(line.prefix(80))"]))
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                return SMTPReply(code: code, lines: lines)
            }
        }
    }

    /// Sends `command` and returns the reply if its code is in `expected`; otherwise throws.
    @discardableResult
    func command(_ command: String, expect expected: ClosedRange<Int> = 200...299, logAs: String? = nil) throws
        -> SMTPReply
    {
        try send(line: command)
        let reply = try readReply()
        guard expected.contains(reply.code) else { throw SMTPReplyError(command: logAs ?? command, reply: reply) }
        return reply
    }

    func quit() {
        _ = try? command("QUIT", expect: 200...299)
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                let lineEnd = end > 0 && buffer[end - 1] == 13 ? end - 1 : end
                let line = String(decoding: buffer[..<lineEnd], as: UTF8.self)
                buffer.removeFirst(end + 1)
                return line
            }
            guard buffer.count < 64 * 1024 else {
                throw SMTPReplyError(command: "read", reply: SMTPReply(code: 0, lines: ["reply line too long"]))
            }
            guard try socket.waitUntilReady(for: Int16(POLLIN), timeout: remaining()) else { throw timeoutError() }
            var chunk = [UInt8](repeating: 0, count: 4096)
            guard let count = try chunk.withUnsafeMutableBytes({ try socket.read(into: $0) }) else { continue }
            guard count > 0 else { throw SocketError("recv", errno: ECONNRESET, detail: "the server closed the connection") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func remaining() throws -> Duration {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { throw timeoutError() }
        return left
    }

    private func timeoutError() -> SocketError {
        SocketError("poll", errno: ETIMEDOUT, detail: "the SMTP conversation took too long")
    }
}
