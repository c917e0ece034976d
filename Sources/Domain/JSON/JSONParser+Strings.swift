extension JSONParser {
    /// Parses a string starting at its opening quote. Plain runs are taken from the buffer as they are;
    /// only a string with escapes is copied byte by byte.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let quote = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == .backslash || byte < 0x20 { break }
            index += byte < 0x80 ? 1 : try scalarLength(at: index)
        }
        var buffer = Array(bytes[start..<index])
        return try parseRest(ofStringAt: quote, into: &buffer)
    }

    private mutating func parseRest(
        ofStringAt quote: Int, into buffer: inout [UInt8]
    ) throws(JSONSyntaxError) -> String {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case .quote:
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case .backslash:
                try appendEscape(to: &buffer, inStringAt: quote)
            case 0..<0x20:
                throw failure("control character \(Self.codePoint(UInt32(byte))) must be escaped", at: index)
            case 0..<0x80:
                buffer.append(byte)
                index += 1
            default:
                let length = try scalarLength(at: index)
                buffer.append(contentsOf: bytes[index..<(index + length)])
                index += length
            }
        }
        throw failure("unterminated string", at: quote)
    }

    private mutating func appendEscape(to buffer: inout [UInt8], inStringAt quote: Int) throws(JSONSyntaxError) {
        let escape = index
        guard index + 1 < bytes.count else { throw failure("unterminated string", at: quote) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case .quote, .backslash, .slash: buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(.lineFeed)
        case UInt8(ascii: "r"): buffer.append(.carriageReturn)
        case UInt8(ascii: "t"): buffer.append(.tab)
        case UInt8(ascii: "u"): Self.appendUTF8(try readEscapedScalar(escapeAt: escape), to: &buffer)
        default:
            let shown = letter > 0x20 && letter < 0x7F ? " \"\\\(Character(Unicode.Scalar(letter)))\"" : ""
            throw failure("invalid escape\(shown)", at: escape)
        }
    }

    /// Reads the four hex digits after `\u`, and a second `\u` escape when the first is a high surrogate.
    private mutating func readEscapedScalar(escapeAt escape: Int) throws(JSONSyntaxError) -> UInt32 {
        let unit = try readHexQuad(escapeAt: escape)
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == .backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("lone surrogate \\u\(Self.hex(unit))", at: escape)
            }
            let lowEscape = index
            index += 2
            let low = try readHexQuad(escapeAt: lowEscape)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw failure("lone surrogate \\u\(Self.hex(unit))", at: escape)
            }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw failure("lone surrogate \\u\(Self.hex(unit))", at: escape)
        default:
            return unit
        }
    }

    private mutating func readHexQuad(escapeAt escape: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard index + offset < bytes.count, let digit = bytes[index + offset].hexDigitValue else {
                throw failure("\\u must be followed by four hex digits", at: escape)
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    /// The length of the well-formed UTF-8 sequence at `offset`.
    /// - Throws: `invalid UTF-8` for overlong forms, encoded surrogates, values over U+10FFFF, stray
    ///   continuation bytes and truncated sequences.
    func scalarLength(at offset: Int) throws(JSONSyntaxError) -> Int {
        guard let length = Self.wellFormedLength(in: bytes, at: offset) else {
            throw failure("invalid UTF-8", at: offset)
        }
        return length
    }

    /// RFC 3629's table of well-formed sequences: the lead byte fixes the length and the second byte's range.
    static func wellFormedLength(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        let length: Int
        let second: ClosedRange<UInt8>
        switch bytes[offset] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return nil
        }
        guard offset + length <= bytes.count, second.contains(bytes[offset + 1]) else { return nil }
        for continuation in (offset + 2)..<(offset + length) where bytes[continuation] & 0xC0 != 0x80 { return nil }
        return length
    }

    private static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            buffer.append(UInt8(scalar))
        case ..<0x800:
            buffer.append(0xC0 | UInt8(scalar >> 6))
            buffer.append(0x80 | UInt8(scalar & 0x3F))
        case ..<0x10000:
            buffer.append(0xE0 | UInt8(scalar >> 12))
            buffer.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            buffer.append(0x80 | UInt8(scalar & 0x3F))
        default:
            buffer.append(0xF0 | UInt8(scalar >> 18))
            buffer.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            buffer.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            buffer.append(0x80 | UInt8(scalar & 0x3F))
        }
    }
}
