package import Foundation

/// Herald's strict RFC 8259 parser: it reads UTF-8 bytes and accepts exactly the JSON grammar.
///
/// Rejected, each with a ``JSONSyntaxError`` naming line and column: trailing commas, comments, `NaN` and
/// `Infinity`, single quotes, unquoted keys, duplicate keys in one object, leading zeros, `+1`, `.5` and
/// `1.`, numbers beyond `Double`'s range, unescaped control characters U+0000–U+001F in strings, unknown
/// escapes, lone UTF-16 surrogates in `\u` escapes, invalid UTF-8 (overlong forms, encoded surrogates,
/// truncated sequences), anything but space, tab, LF and CR after the value, and containers nested deeper
/// than ``maximumDepth``. A UTF-8 byte order mark at the very start is skipped, as RFC 8259 §8.1 allows.
///
/// Keys that are equal as Swift strings (canonically equivalent, like `é` and `e` + U+0301) count as
/// duplicates, because a ``JSONValue`` object could keep only one of them.
package struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; one level deeper is an error, never a stack overflow.
    package static let maximumDepth = 128

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `data` as one JSON document.
    /// - Throws: ``JSONSyntaxError`` at the first place the document breaks RFC 8259.
    package static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        let result = data.withUnsafeBytes { raw in
            var parser = JSONParser(raw.assumingMemoryBound(to: UInt8.self))
            return Result { () throws(JSONSyntaxError) in try parser.parseDocument() }
        }
        return try result.get()
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        if hasByteOrderMark { index = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw unexpected(at: index, expecting: "the end of the document") }
        return value
    }

    var hasByteOrderMark: Bool { bytes.starts(with: [0xEF, 0xBB, 0xBF]) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case .space, .tab, .lineFeed, .carriageReturn: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input", at: index) }
        switch bytes[index] {
        case .openBrace: return try parseObject()
        case .openBracket: return try parseArray()
        case .quote: return .string(try parseString())
        case .minus, .zero ... .nine: return .number(try parseNumber())
        case .plus, .period: throw failure("a number cannot start with \(character(at: index) ?? "")", at: index)
        case let byte where byte.isASCIIWordCharacter: return try parseWord()
        default: throw unexpected(at: index, expecting: "a value")
        }
    }

    private mutating func parseWord() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        let word = readWord()
        if word.elementsEqual("true".utf8) { return .bool(true) }
        if word.elementsEqual("false".utf8) { return .bool(false) }
        if word.elementsEqual("null".utf8) { return .null }
        throw failure("\"\(String(decoding: word, as: UTF8.self))\" is not a JSON value", at: start)
    }

    /// Reads a run of ASCII letters, digits and underscores, so `NaN` or `tru` can be named in an error.
    mutating func readWord() -> Slice<UnsafeBufferPointer<UInt8>> {
        let start = index
        while index < bytes.count, bytes[index].isASCIIWordCharacter { index += 1 }
        return bytes[start..<index]
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw failure("nesting deeper than \(Self.maximumDepth) levels", at: index)
        }
        index += 1
        skipWhitespace()
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        if index < bytes.count, bytes[index] == .closeBracket {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input", at: index) }
            switch bytes[index] {
            case .comma:
                try skipComma(before: .closeBracket)
            case .closeBracket:
                index += 1
                depth -= 1
                return .array(elements)
            default:
                throw unexpected(at: index, expecting: "\",\" or \"]\"")
            }
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        var members: [String: JSONValue] = [:]
        if index < bytes.count, bytes[index] == .closeBrace {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            let keyStart = index
            let key = try parseKey()
            if members[key] != nil { throw failure("duplicate key \(Self.quoted(key))", at: keyStart) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == .colon else {
                throw unexpected(at: index, expecting: "\":\" after the key")
            }
            index += 1
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input", at: index) }
            switch bytes[index] {
            case .comma:
                try skipComma(before: .closeBrace)
            case .closeBrace:
                index += 1
                depth -= 1
                return .object(members)
            default:
                throw unexpected(at: index, expecting: "\",\" or \"}\"")
            }
        }
    }

    /// Steps over a separating comma; a comma followed by the container's end is a trailing comma.
    private mutating func skipComma(before end: UInt8) throws(JSONSyntaxError) {
        let comma = index
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == end { throw failure("trailing comma", at: comma) }
    }

    private mutating func parseKey() throws(JSONSyntaxError) -> String {
        guard index < bytes.count else { throw failure("unexpected end of input", at: index) }
        switch bytes[index] {
        case .quote: return try parseString()
        case let byte where byte.isASCIIWordCharacter || byte == UInt8(ascii: "$"):
            throw failure("keys must be strings in double quotes", at: index)
        default: throw unexpected(at: index, expecting: "a key in double quotes")
        }
    }
}
