/// Decodes a `chunked` request body (RFC 9112 §7.1) from bytes that arrive in pieces: chunk sizes,
/// extensions, data and trailer fields, each byte examined once.
///
/// Limits: a size has at most 8 hex digits (no sign, no overflow) and its line at most
/// ``maxSizeLineBytes``; the data may total ``maxBodyBytes`` (`413` beyond); the trailer section may total
/// ``maxFramingBytes``, and the whole body on the wire, framing and trailers included, ``maxBodyBytes`` +
/// ``maxFramingBytes`` (`413` beyond either).
struct HTTPChunkedBodyDecoder: Sendable {
    /// The longest chunk-size line (size, extensions and CRLF).
    static let maxSizeLineBytes = 1024

    private enum State: Equatable, Sendable {
        case size(digits: Int, value: Int)
        case sizeWhitespace(value: Int)
        case chunkExtension(value: Int)
        case sizeLineFeed(value: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        case trailer(lineBytes: Int)
        case trailerLineFeed(lineBytes: Int)
        case complete
    }

    /// The largest decoded body, inclusive.
    let maxBodyBytes: Int
    /// How many bytes of framing (sizes, extensions, line ends, trailers) may come on top of the body.
    let maxFramingBytes: Int
    private var trailerBytes = 0
    /// The data decoded so far.
    private(set) var body: [UInt8] = []
    /// Bytes examined so far (framing and data).
    private(set) var bytesExamined = 0
    private var state = State.size(digits: 0, value: 0)
    private var sizeLineBytes = 0

    init(maxBodyBytes: Int, maxFramingBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxFramingBytes = maxFramingBytes
    }

    /// Whether the last chunk and the trailer section have been decoded.
    var isComplete: Bool { state == .complete }

    /// Decodes from the start of `bytes`, which follow the bytes given before. Returns how many it used:
    /// all of them while the body goes on, the ones up to its end once it is complete.
    /// - Throws: `400` for malformed framing, `413` over a size limit.
    mutating func consume(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var index = bytes.startIndex
        while index < bytes.endIndex, state != .complete {
            if case .data(let remaining) = state {
                let count = min(remaining, bytes.endIndex - index)
                body.append(contentsOf: bytes[index..<index + count])
                index += count
                bytesExamined += count
                state = remaining == count ? .dataCarriageReturn : .data(remaining: remaining - count)
                continue
            }
            try step(bytes[index])
            index += 1
            bytesExamined += 1
            guard bytesExamined <= maxBodyBytes + maxFramingBytes else {
                throw HTTPParseError(413, "the chunked request body is too large")
            }
        }
        return index - bytes.startIndex
    }

    private mutating func step(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .size, .sizeWhitespace, .chunkExtension, .sizeLineFeed:
            sizeLineBytes += 1
            guard sizeLineBytes <= Self.maxSizeLineBytes else {
                throw HTTPParseError(400, "the chunk size line is too long")
            }
            try stepSizeLine(byte)
        case .dataCarriageReturn:
            guard byte == 13 else { throw HTTPParseError(400, "chunk not followed by CRLF") }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == 10 else { throw HTTPParseError(400, "chunk not followed by CRLF") }
            state = .size(digits: 0, value: 0)
        case .trailer(let lineBytes):
            trailerBytes += 1
            guard trailerBytes <= maxFramingBytes else {
                throw HTTPParseError(413, "the chunked request trailers are too large")
            }
            state = byte == 13 ? .trailerLineFeed(lineBytes: lineBytes) : .trailer(lineBytes: lineBytes + 1)
        case .trailerLineFeed(let lineBytes):
            guard byte == 10 else { throw HTTPParseError(400, "malformed trailer line") }
            state = lineBytes == 0 ? .complete : .trailer(lineBytes: 0)
        case .data, .complete:
            break
        }
    }

    private mutating func stepSizeLine(_ byte: UInt8) throws(HTTPParseError) {
        if case .size(let digits, let value) = state, let digit = Self.hexValue(byte) {
            guard digits < 8 else { throw HTTPParseError(400, "malformed chunk size") }
            state = .size(digits: digits + 1, value: value << 4 | digit)
            return
        }
        switch (state, byte) {
        case (.size(let digits, let value), 32), (.size(let digits, let value), 9):
            guard digits > 0 else { throw HTTPParseError(400, "malformed chunk size") }
            state = .sizeWhitespace(value: value)
        case (.size(let digits, let value), UInt8(ascii: ";")):
            guard digits > 0 else { throw HTTPParseError(400, "malformed chunk size") }
            state = .chunkExtension(value: value)
        case (.size(let digits, let value), 13):
            guard digits > 0 else { throw HTTPParseError(400, "malformed chunk size") }
            state = .sizeLineFeed(value: value)
        case (.sizeWhitespace, 32), (.sizeWhitespace, 9):
            break
        case (.sizeWhitespace(let value), UInt8(ascii: ";")):
            state = .chunkExtension(value: value)
        case (.sizeWhitespace(let value), 13), (.chunkExtension(let value), 13):
            state = .sizeLineFeed(value: value)
        case (.chunkExtension, _) where byte == 9 || (byte >= 32 && byte != 127):
            break
        case (.chunkExtension, _):
            throw HTTPParseError(400, "invalid character in a chunk extension")
        case (.sizeLineFeed(let value), 10):
            sizeLineBytes = 0
            try startChunk(of: value)
        default:
            throw HTTPParseError(400, "malformed chunk size")
        }
    }

    private mutating func startChunk(of size: Int) throws(HTTPParseError) {
        guard size > 0 else {
            state = .trailer(lineBytes: 0)
            return
        }
        guard body.count + size <= maxBodyBytes else { throw HTTPParseError(413, "the request body is too large") }
        state = .data(remaining: size)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
