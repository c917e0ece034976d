/// Parses RESP2 replies incrementally: feed bytes as they arrive, take whole replies as they complete.
///
/// Parsing restarts from the beginning of an incomplete reply when more bytes arrive, and the read
/// position only moves when a whole reply was parsed, so a reply split at any byte is decoded the same.
package struct RESPDecoder: Sendable {
    /// Replies nested deeper than this are rejected (Redis never sends them; garbage might).
    package static let maxDepth = 64
    /// Bulk strings and arrays longer than this are rejected (Redis's own limit is 512 MB).
    package static let maxLength = 512 * 1024 * 1024

    private var buffer: [UInt8] = []
    private var position = 0

    package init() {}

    /// Bytes received but not yet part of a complete reply.
    package var bufferedByteCount: Int { buffer.count - position }

    /// Adds bytes received from the server.
    package mutating func feed(_ bytes: some Collection<UInt8>) {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position > 65536, position * 2 > buffer.count {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil when more bytes are needed.
    /// - Throws: ``RESPDecodingError`` when the bytes cannot be RESP2.
    package mutating func next() throws(RESPDecodingError) -> RESPValue? {
        var cursor = position
        guard let value = try parse(at: &cursor, depth: 0) else { return nil }
        position = cursor
        return value
    }

    private func parse(at cursor: inout Int, depth: Int) throws(RESPDecodingError) -> RESPValue? {
        guard cursor < buffer.count else { return nil }
        let start = cursor
        let marker = buffer[cursor]
        guard let line = try readLine(from: cursor + 1) else { return nil }
        cursor = line.next
        let text = buffer[line.start..<line.end]
        switch marker {
        case UInt8(ascii: "+"):
            return .simpleString(String(decoding: text, as: UTF8.self))
        case UInt8(ascii: "-"):
            return .error(String(decoding: text, as: UTF8.self))
        case UInt8(ascii: ":"):
            return .integer(try integer(text, at: start))
        case UInt8(ascii: "$"):
            let length = try integer(text, at: start)
            if length == -1 { return .bulkString(nil) }
            guard length >= 0, length <= Self.maxLength else {
                throw RESPDecodingError("bulk string length \(length) is out of range", at: start)
            }
            let end = cursor + Int(length)
            guard end + 2 <= buffer.count else { return nil }
            guard buffer[end] == 13, buffer[end + 1] == 10 else {
                throw RESPDecodingError("bulk string is not terminated by CRLF", at: end)
            }
            let bytes = Array(buffer[cursor..<end])
            cursor = end + 2
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            let count = try integer(text, at: start)
            if count == -1 { return .array(nil) }
            guard count >= 0, count <= Self.maxLength else {
                throw RESPDecodingError("array length \(count) is out of range", at: start)
            }
            guard depth < Self.maxDepth else { throw RESPDecodingError("arrays nested too deeply", at: start) }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(Int(count), 1024))
            for _ in 0..<count {
                guard let element = try parse(at: &cursor, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RESPDecodingError("unknown type marker 0x\(String(marker, radix: 16))", at: start)
        }
    }

    /// The line starting at `start`, ending before CRLF; nil when the CRLF has not arrived yet.
    private func readLine(from start: Int) throws(RESPDecodingError) -> (start: Int, end: Int, next: Int)? {
        var index = start
        while index < buffer.count {
            if buffer[index] == 13 {
                guard index + 1 < buffer.count else { return nil }
                guard buffer[index + 1] == 10 else { throw RESPDecodingError("CR not followed by LF", at: index) }
                return (start, index, index + 2)
            }
            if buffer[index] == 10 { throw RESPDecodingError("LF without CR", at: index) }
            index += 1
            if index - start > 64 * 1024 { throw RESPDecodingError("line longer than 64 KiB", at: start) }
        }
        return nil
    }

    private func integer(_ text: ArraySlice<UInt8>, at offset: Int) throws(RESPDecodingError) -> Int64 {
        guard !text.isEmpty, text.count <= 20, let value = Int64(String(decoding: text, as: UTF8.self)) else {
            throw RESPDecodingError("\"\(String(decoding: text.prefix(24), as: UTF8.self))\" is not an integer", at: offset)
        }
        return value
    }
}
