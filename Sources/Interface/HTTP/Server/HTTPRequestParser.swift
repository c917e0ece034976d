import Foundation

/// Parses HTTP/1.1 requests from bytes (RFC 9112): the head, then a body framed by `Content-Length`
/// or `chunked`. Pure and incremental (returns nil until enough bytes arrived), so it is unit-tested
/// and fuzzed without sockets.
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

    static let maxRequestLine = 8 * 1024

    /// The head at the start of `bytes` and the bytes it used, or nil when its end has not arrived.
    static func parseHead(_ bytes: ArraySlice<UInt8>, maxHeaderBytes: Int) throws(HTTPParseError) -> (Head, Int)? {
        guard let end = headEnd(bytes) else {
            if let firstLineEnd = bytes.firstIndex(of: 10), firstLineEnd - bytes.startIndex > maxRequestLine {
                throw HTTPParseError(414, "the request line is too long")
            }
            if bytes.firstIndex(of: 10) == nil, bytes.count > maxRequestLine {
                throw HTTPParseError(414, "the request line is too long")
            }
            if bytes.count > maxHeaderBytes { throw HTTPParseError(431, "the request headers are too large") }
            return nil
        }
        guard end - bytes.startIndex <= maxHeaderBytes else { throw HTTPParseError(431, "the request headers are too large") }
        var lines = splitLines(bytes[bytes.startIndex..<end])
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard let requestLine = lines.first else { throw HTTPParseError(400, "empty request") }
        guard requestLine.count <= maxRequestLine else { throw HTTPParseError(414, "the request line is too long") }
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
        let head = Head(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            minorVersion: minorVersion, headers: headers)
        return (head, end + 4 - bytes.startIndex)
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
    static func decodeChunked(_ bytes: ArraySlice<UInt8>, maxBodyBytes: Int) throws(HTTPParseError) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while true {
            guard let lineEnd = findCRLF(bytes, from: index) else {
                if bytes.endIndex - index > 1024 { throw HTTPParseError(400, "malformed chunk size") }
                return nil
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                .split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !sizeText.isEmpty, sizeText.count <= 8, sizeText.allSatisfy(\.isHexDigit),
                let size = Int(sizeText, radix: 16)
            else {
                throw HTTPParseError(400, "malformed chunk size")
            }
            index = lineEnd + 2
            if size == 0 {
                while true {
                    guard let trailerEnd = findCRLF(bytes, from: index) else { return nil }
                    let isEmpty = trailerEnd == index
                    index = trailerEnd + 2
                    if isEmpty { return (body, index - bytes.startIndex) }
                }
            }
            guard body.count + size <= maxBodyBytes else { throw HTTPParseError(413, "the request body is too large") }
            guard bytes.endIndex - index >= size + 2 else { return nil }
            body.append(contentsOf: bytes[index..<index + size])
            index += size
            guard bytes[index] == 13, bytes[index + 1] == 10 else { throw HTTPParseError(400, "chunk not followed by CRLF") }
            index += 2
        }
    }

    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    private static func findCRLF(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
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
