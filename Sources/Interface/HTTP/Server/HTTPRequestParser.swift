import Foundation

/// Parses HTTP/1.1 requests from bytes (RFC 9112): the head, then a body framed by `Content-Length`
/// or `chunked`. Pure, so it is unit-tested and fuzzed without sockets; ``HTTPRequestDecoder`` feeds it
/// incrementally.
enum HTTPRequestParser {
    struct Head: Equatable {
        var method: String
        var target: String
        var minorVersion: Int
        var headers: [HeaderField]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value
        }

        /// Whether the connection stays open after the response (HTTP/1.1 unless `close`; 1.0 only with `keep-alive`).
        var keepsAlive: Bool {
            let tokens = (header("connection") ?? "").lowercased().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return minorVersion >= 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
        }
    }

    struct HeaderField: Equatable {
        var name: String
        var value: String
    }

    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
    }

    /// The head at the start of `bytes` and the bytes it used, or nil when its end has not arrived.
    /// The one-shot form of ``HTTPHeadScanner`` plus ``parseCompleteHead(_:)``, for bytes already in hand.
    static func parseHead(_ bytes: ArraySlice<UInt8>, maxHeaderBytes: Int) throws(HTTPParseError) -> (Head, Int)? {
        var scanner = HTTPHeadScanner(maxHeaderBytes: maxHeaderBytes)
        guard let length = try scanner.scan(bytes) else { return nil }
        return (try parseCompleteHead(bytes.prefix(length - 4)), length)
    }

    /// Parses a whole head: the request line and header fields, without the empty line that ends them.
    static func parseCompleteHead(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> Head {
        var lines = splitLines(bytes)
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard let requestLine = lines.first else { throw HTTPParseError(400, "empty request") }
        guard requestLine.count <= HTTPHeadScanner.maxRequestLine else {
            throw HTTPParseError(414, "the request line is too long")
        }
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
            parts[0].allSatisfy({ isTokenCharacter($0) }),
            parts[1].allSatisfy({ $0 > 32 && $0 < 127 })
        else { throw HTTPParseError(400, "malformed request line") }
        let version = String(decoding: parts[2], as: UTF8.self)
        let minorVersion: Int
        switch version {
        case "HTTP/1.1": minorVersion = 1
        case "HTTP/1.0": minorVersion = 0
        default:
            if version.hasPrefix("HTTP/") { throw HTTPParseError(505, "only HTTP/1.0 and HTTP/1.1 are supported") }
            throw HTTPParseError(400, "malformed request line")
        }
        var headers: [HeaderField] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw HTTPParseError(400, "malformed header line")
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy({ isTokenCharacter($0) }) else { throw HTTPParseError(400, "malformed header name") }
            let value = line[line.index(after: colon)...]
            guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
                throw HTTPParseError(400, "invalid character in a header value")
            }
            headers.append(HeaderField(
                name: String(decoding: name, as: UTF8.self),
                value: String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespaces)))
            guard headers.count <= 100 else { throw HTTPParseError(431, "too many request headers") }
        }
        return Head(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            minorVersion: minorVersion, headers: headers)
    }

    /// How the body is framed; rejects ambiguous framing (both headers, conflicting lengths).
    static func framing(of head: Head) throws(HTTPParseError) -> Framing {
        let lengths = head.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        let encodings = head.headers.filter { $0.name.lowercased() == "transfer-encoding" }
        if !encodings.isEmpty {
            guard lengths.isEmpty else { throw HTTPParseError(400, "both Content-Length and Transfer-Encoding") }
            let codings = encodings.flatMap { $0.value.lowercased().split(separator: ",") }.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard codings == ["chunked"] else { throw HTTPParseError(501, "only chunked transfer coding is supported") }
            return .chunked
        }
        guard let first = lengths.first else { return .none }
        guard lengths.allSatisfy({ $0 == first }), first.count <= 18, first.allSatisfy({ $0.isASCII && $0.isNumber }),
            let length = Int(first)
        else { throw HTTPParseError(400, "invalid Content-Length") }
        return length == 0 ? .none : .length(length)
    }

    /// Decodes a chunked body at the start of `bytes`: the body and the bytes used, or nil when incomplete.
    /// The one-shot form of ``HTTPChunkedBodyDecoder``, for bytes already in hand.
    static func decodeChunked(
        _ bytes: ArraySlice<UInt8>, maxBodyBytes: Int, maxFramingBytes: Int = 16 * 1024
    ) throws(HTTPParseError) -> ([UInt8], Int)? {
        var decoder = HTTPChunkedBodyDecoder(maxBodyBytes: maxBodyBytes, maxFramingBytes: maxFramingBytes)
        let used = try decoder.consume(bytes)
        return decoder.isComplete ? (decoder.body, used) : nil
    }

    private static func splitLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 13, index + 1 < bytes.endIndex, bytes[index + 1] == 10 {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[start..<bytes.endIndex])
        return lines
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
