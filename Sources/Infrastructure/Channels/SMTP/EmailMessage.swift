import Foundation

/// An RFC 5322 message with a `text/plain; charset=utf-8` body, ready for SMTP `DATA` (CRLF line
/// endings, dot-stuffed, ending in `CRLF.CRLF`).
struct EmailMessage {
    var from: String
    var to: [String]
    var subject: String
    var body: String
    var date: Date
    var messageID: String

    /// The bytes to send after `DATA`. Uses `8bit` when the server offered 8BITMIME and every line is
    /// short enough, `7bit` for plain short ASCII, and quoted-printable otherwise.
    func data(eightBitAllowed: Bool) -> [UInt8] {
        let lines = body.replacing("\r\n", with: "\n").replacing("\r", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        let isASCII = body.utf8.allSatisfy { $0 < 128 }
        let fitsLines = lines.allSatisfy { $0.utf8.count <= 998 }
        let encoding: String
        var bodyLines: [String]
        if fitsLines, isASCII {
            encoding = "7bit"
            bodyLines = lines.map(String.init)
        } else if fitsLines, eightBitAllowed {
            encoding = "8bit"
            bodyLines = lines.map(String.init)
        } else {
            encoding = "quoted-printable"
            bodyLines = lines.flatMap { QuotedPrintable.encode(line: String($0)) }
        }
        let headers = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(HeaderEncoding.encodeSubject(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(encoding)",
        ]
        let stuffed = bodyLines.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        let text = (headers + [""] + stuffed).joined(separator: "\r\n") + "\r\n.\r\n"
        return Array(text.utf8)
    }

    /// `Sat, 21 Nov 2026 23:57:23 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// The `Subject:` header value, folded (RFC 5322 §2.2.3) so no line is longer than 78 characters.
///
/// Printable ASCII is folded before the spaces between words, so unfolding (removing each CRLF) gives
/// the subject back exactly. Other text, and ASCII with a word too long to fit a line, becomes RFC 2047
/// encoded-words, one per line.
enum HeaderEncoding {
    /// The longest line RFC 5322 recommends, CRLF excluded.
    static let lineLimit = 78

    static func encodeSubject(_ subject: String) -> String {
        let isPrintableASCII = subject.utf8.allSatisfy { $0 >= 32 && $0 < 127 }
        if isPrintableASCII, let folded = fold(Array(subject.utf8), indent: "Subject: ".count) { return folded }
        var words: [String] = []
        var chunk: [UInt8] = []
        // By scalar, not by character: one character may be hundreds of bytes (a letter with many combining
        // marks), and a word must never exceed its line; an encoded-word may split a character, not a scalar.
        for scalar in subject.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > 40 {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// Folds ASCII `text` whose first line follows `indent` characters (the header name): a CRLF goes
    /// before a run of spaces when the next word would pass ``lineLimit``; nil when a word alone is too long.
    private static func fold(_ text: [UInt8], indent: Int) -> String? {
        let space = UInt8(ascii: " ")
        var segments: [ArraySlice<UInt8>] = []
        var start = 0
        for index in text.indices.dropFirst() where text[index] == space && text[index - 1] != space {
            segments.append(text[start..<index])
            start = index
        }
        segments.append(text[start...])
        var lines: [[UInt8]] = []
        var current = Array(segments[0])
        var width = indent + current.count
        for segment in segments.dropFirst() {
            let hasWord = segment.contains { $0 != space }
            if width + segment.count > lineLimit, hasWord, current.contains(where: { $0 != space }) {
                guard width <= lineLimit else { return nil }
                lines.append(current)
                current = Array(segment)
                width = segment.count
            } else {
                current += segment
                width += segment.count
            }
        }
        guard width <= lineLimit else { return nil }
        lines.append(current)
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n")
    }
}

/// Quoted-printable (RFC 2045 §6.7) for one line of text, split with soft line breaks at 76 characters.
enum QuotedPrintable {
    static func encode(line: String) -> [String] {
        var output: [String] = []
        var current = ""
        let bytes = Array(line.utf8)
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            if (byte == 32 || byte == 9) && !isLast {
                token = String(UnicodeScalar(byte))
            } else if byte >= 33, byte <= 126, byte != 61 {
                token = String(UnicodeScalar(byte))
            } else {
                token = String(format: "=%02X", byte)
            }
            if current.count + token.count > 75 {
                output.append(current + "=")
                current = ""
            }
            current += token
        }
        output.append(current)
        return output
    }
}
