/// Turns the bytes an SMTP server sends into replies (RFC 5321 §4.2): lines ending in LF (a CR before it
/// is dropped), each starting with a three-digit code; a `-` after the code continues the reply, anything
/// else (or nothing) after it ends the reply.
///
/// A value fed whatever the socket read, in pieces of any size; it never touches a socket, so it is tested
/// by splitting replies at every byte. A line that is not a reply, a line over ``lineLimit`` bytes, or a
/// reply over ``replyLimit`` bytes is an error (`SMTP 0 after read: ...`), after which the conversation
/// is over.
struct SMTPReplyReader {
    /// A reply line that reaches this many bytes before its LF is refused as too long.
    static let lineLimit = 64 * 1024
    /// The most bytes one multi-line reply may take, so a server cannot grow it without end.
    static let replyLimit = 1024 * 1024

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next LF resumes: bytes before it hold none, so a line trickled in one
    /// byte at a time is scanned once, not once per byte.
    private var scanned = 0
    /// The lines of a multi-line reply read so far, and their bytes.
    private var pendingLines: [String] = []
    private var pendingBytes = 0

    /// Appends what the server sent.
    mutating func feed(_ bytes: some Sequence<UInt8>) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil until more bytes arrive.
    /// - Throws: ``SMTPReplyError`` with code 0 for a malformed or oversized reply.
    mutating func next() throws(SMTPReplyError) -> SMTPReply? {
        while let end = buffer[max(start, scanned)...].firstIndex(of: 10) {
            guard end - start < Self.lineLimit else { throw Self.error("reply line too long") }
            let lineEnd = end > start && buffer[end - 1] == 13 ? end - 1 : end
            let line = buffer[start..<lineEnd]
            pendingBytes += end + 1 - start
            start = end + 1
            guard pendingBytes <= Self.replyLimit else { throw Self.error("reply too long") }
            guard line.count >= 3, line.prefix(3).allSatisfy({ (48...57).contains($0) }) else {
                throw Self.error("malformed reply: \(String(decoding: line, as: UTF8.self).prefix(80))")
            }
            pendingLines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
            if line.count > 3, line[line.startIndex + 3] == UInt8(ascii: "-") { continue }
            let code = line.prefix(3).reduce(0) { $0 * 10 + Int($1 - 48) }
            let reply = SMTPReply(code: code, lines: pendingLines)
            pendingLines = []
            pendingBytes = 0
            compact()
            return reply
        }
        guard buffer.count - start < Self.lineLimit else { throw Self.error("reply line too long") }
        scanned = buffer.count
        compact()
        return nil
    }

    /// Drops consumed bytes once they are most of the buffer, so reading stays linear.
    private mutating func compact() {
        guard start > 0, start >= buffer.count / 2 else { return }
        buffer.removeFirst(start)
        scanned = max(0, scanned - start)
        start = 0
    }

    private static func error(_ text: String) -> SMTPReplyError {
        SMTPReplyError(command: "read", reply: SMTPReply(code: 0, lines: [text]))
    }
}
