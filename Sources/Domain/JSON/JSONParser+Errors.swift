extension JSONParser {
    /// An error at a byte offset, with its line and column worked out only now: the happy path never counts lines.
    func failure(_ message: String, at offset: Int) -> JSONSyntaxError {
        var line = 1
        var lineStart = hasByteOrderMark ? 3 : 0
        var position = lineStart
        while position < offset {
            let byte = bytes[position]
            let endsLine = byte == .lineFeed
                || (byte == .carriageReturn && (position + 1 == bytes.count || bytes[position + 1] != .lineFeed))
            position += 1
            if endsLine {
                line += 1
                lineStart = position
            }
        }
        var column = 1
        for byte in bytes[lineStart..<offset] where byte & 0xC0 != 0x80 { column += 1 }
        return JSONSyntaxError(line: line, column: column, message: message, byteOffset: offset)
    }

    /// An error for a character the grammar does not allow here, saying what was expected.
    func unexpected(at offset: Int, expecting expected: String) -> JSONSyntaxError {
        guard offset < bytes.count else { return failure("unexpected end of input", at: offset) }
        switch bytes[offset] {
        case .slash: return failure("comments are not allowed", at: offset)
        case .apostrophe: return failure("strings must use double quotes", at: offset)
        default:
            guard let found = character(at: offset) else { return failure("invalid UTF-8", at: offset) }
            return failure("expected \(expected), found \(found)", at: offset)
        }
    }

    /// The character at `offset` as an error shows it: `"x"` when printable ASCII (`'"'` for the quote itself),
    /// else `U+00A0`; nil when the bytes there are not UTF-8.
    func character(at offset: Int) -> String? {
        let byte = bytes[offset]
        if byte == .quote { return "'\"'" }
        if byte > 0x20, byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        guard let length = Self.wellFormedLength(in: bytes, at: offset) else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        return text.unicodeScalars.first.map { Self.codePoint($0.value) }
    }

    /// `U+000A`.
    static func codePoint(_ value: UInt32) -> String { "U+" + hex(value) }

    /// At least four uppercase hex digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A key as an error message shows it: quoted, control characters escaped, cut after 64 characters.
    static func quoted(_ key: String) -> String {
        var shown = ""
        for (count, scalar) in key.unicodeScalars.enumerated() {
            if count == 64 {
                shown += "…"
                break
            }
            switch scalar {
            case "\"", "\\": shown += "\\\(scalar)"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: shown += "\\u" + hex(scalar.value)
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return "\"\(shown)\""
    }
}
