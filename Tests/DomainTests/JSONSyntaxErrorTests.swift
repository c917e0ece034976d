import Foundation
import HeraldDomain
import Testing

/// One document RFC 8259 refuses, and where and why the parser must say so.
struct InvalidDocument: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let line: Int
    let column: Int
    let message: String

    init(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.init(bytes: Array(text.utf8), line, column, message)
    }

    init(bytes: [UInt8], _ line: Int, _ column: Int, _ message: String) {
        self.bytes = bytes
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "\(text.debugDescription) → \(message)"
    }
}

@Suite struct JSONSyntaxErrorTests {
    static let documents: [InvalidDocument] = [
        .init(#"{"topic": "sales", "message": "x",}"#, 1, 34, "trailing comma"),
        .init("[1, 2,]", 1, 6, "trailing comma"),
        .init("[1, 2, ]", 1, 6, "trailing comma"),
        .init("{\"a\": 1 // note\n}", 1, 9, "comments are not allowed"),
        .init("/* note */ {}", 1, 1, "comments are not allowed"),
        .init("{} // note", 1, 4, "comments are not allowed"),
        .init("[NaN]", 1, 2, #""NaN" is not a JSON value"#),
        .init("[Infinity]", 1, 2, #""Infinity" is not a JSON value"#),
        .init("[-Infinity]", 1, 2, #""-Infinity" is not a JSON value"#),
        .init("[tru]", 1, 2, #""tru" is not a JSON value"#),
        .init("[True]", 1, 2, #""True" is not a JSON value"#),
        .init("[truex]", 1, 2, #""truex" is not a JSON value"#),
        .init("[undefined]", 1, 2, #""undefined" is not a JSON value"#),
        .init("{'a': 1}", 1, 2, "strings must use double quotes"),
        .init(#"["a", 'b']"#, 1, 7, "strings must use double quotes"),
        .init("{a: 1}", 1, 2, "keys must be strings in double quotes"),
        .init(#"{"sms": 1, "sms": 2}"#, 1, 12, #"duplicate key "sms""#),
        .init(#"{"a": {"b": 1, "b": null}}"#, 1, 16, #"duplicate key "b""#),
        .init(#"{"\u00e9": 1, "e\u0301": 2}"#, 1, 15, "duplicate key \"e\u{301}\""),
        .init(#"{"a\"\n": 1, "a\"\n": 2}"#, 1, 14, #"duplicate key "a\"\u000A""#),
        .init("[01]", 1, 2, "leading zeros are not allowed"),
        .init("[-01]", 1, 2, "leading zeros are not allowed"),
        .init("[00]", 1, 2, "leading zeros are not allowed"),
        .init("[+1]", 1, 2, #"a number cannot start with "+""#),
        .init("[.5]", 1, 2, #"a number cannot start with ".""#),
        .init("[1.]", 1, 4, "expected a digit after the decimal point"),
        .init("[1.e5]", 1, 4, "expected a digit after the decimal point"),
        .init("[1e]", 1, 4, "expected a digit in the exponent"),
        .init("[1e+]", 1, 5, "expected a digit in the exponent"),
        .init("[-]", 1, 3, #"expected a digit after "-""#),
        .init("[- 1]", 1, 3, #"expected a digit after "-""#),
        .init("[1e400]", 1, 2, "number out of range"),
        .init("[-1e309]", 1, 2, "number out of range"),
        .init("[1" + String(repeating: "0", count: 400) + "]", 1, 2, "number out of range"),
        .init("[\"a\tb\"]", 1, 4, "control character U+0009 must be escaped"),
        .init("[\"a\nb\"]", 1, 4, "control character U+000A must be escaped"),
        .init("[\"\u{0}\"]", 1, 3, "control character U+0000 must be escaped"),
        .init("[\"\\n\u{1F}\"]", 1, 5, "control character U+001F must be escaped"),
        .init(#"["\x"]"#, 1, 3, #"invalid escape "\x""#),
        .init(#"["\'"]"#, 1, 3, #"invalid escape "\'""#),
        .init(#"["\u12"]"#, 1, 3, #"\u must be followed by four hex digits"#),
        .init(#"["\uZZZZ"]"#, 1, 3, #"\u must be followed by four hex digits"#),
        .init(#"["\uD800"]"#, 1, 3, #"lone surrogate \uD800"#),
        .init(#"["\uDC00"]"#, 1, 3, #"lone surrogate \uDC00"#),
        .init(#"["ab\uD83Dx"]"#, 1, 5, #"lone surrogate \uD83D"#),
        .init(#"["\uD83D\u0041"]"#, 1, 3, #"lone surrogate \uD83D"#),
        .init(#"["\uD83D\uD83D"]"#, 1, 3, #"lone surrogate \uD83D"#),
        .init(bytes: [0x22, 0xC0, 0xAF, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0xF0, 0x9F, 0x98, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0x61, 0xE2, 0x82], 1, 3, "invalid UTF-8"),
        .init(bytes: [0x22, 0x80, 0x22], 1, 2, "invalid UTF-8"),
        .init(bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22], 1, 4, "invalid UTF-8"),
        .init(bytes: Array("[\"é\",".utf8) + [0xFF, 0x5D], 1, 6, "invalid UTF-8"),
        .init("{} x", 1, 4, #"expected the end of the document, found "x""#),
        .init("{}{}", 1, 3, #"expected the end of the document, found "{""#),
        .init("1 2", 1, 3, #"expected the end of the document, found "2""#),
        .init("{}\u{0C}", 1, 3, "expected the end of the document, found U+000C"),
        .init("{}\u{A0}", 1, 3, "expected the end of the document, found U+00A0"),
        .init("{}\u{0}", 1, 3, "expected the end of the document, found U+0000"),
        .init("", 1, 1, "unexpected end of input"),
        .init(" \n ", 2, 2, "unexpected end of input"),
        .init("{", 1, 2, "unexpected end of input"),
        .init(#"{"a""#, 1, 5, "unexpected end of input"),
        .init(#"{"a":"#, 1, 6, "unexpected end of input"),
        .init("[1", 1, 3, "unexpected end of input"),
        .init(#"["abc"#, 1, 2, "unterminated string"),
        .init(#"["abc\"#, 1, 2, "unterminated string"),
        .init(#"{"a" 1}"#, 1, 6, #"expected ":" after the key, found "1""#),
        .init("[1 2]", 1, 4, #"expected "," or "]", found "2""#),
        .init(#"{"a": 1 "b": 2}"#, 1, 9, #"expected "," or "}", found '"'"#),
        .init("{,}", 1, 2, #"expected a key in double quotes, found ",""#),
        .init("[,]", 1, 2, #"expected a value, found ",""#),
        .init("[]]", 1, 3, #"expected the end of the document, found "]""#),
        .init("{\n  \"channels\": {\n    \"sms\": {},\n    \"sms\": {}\n  }\n}", 4, 5, #"duplicate key "sms""#),
        .init("{\r\n  \"channels\": {\r\n    \"sms\": {},\r\n    \"sms\": {}\r\n  }\r\n}", 4, 5, #"duplicate key "sms""#),
        .init("[\r1,]", 2, 2, "trailing comma"),
        .init("{\"é€😀\": 1,\n \"ü\": [1,],\n}", 2, 9, "trailing comma"),
        .init(bytes: [0xEF, 0xBB, 0xBF] + Array("{,}".utf8), 1, 2, #"expected a key in double quotes, found ",""#),
        .init(bytes: Array(" ".utf8) + [0xEF, 0xBB, 0xBF] + Array("{}".utf8), 1, 2, "expected a value, found U+FEFF"),
        .init(String(repeating: "[", count: 129), 1, 129, "nesting deeper than 128 levels"),
        .init(String(repeating: #"{"a":"#, count: 129), 1, 641, "nesting deeper than 128 levels"),
    ]

    @Test(arguments: documents)
    func everyInvalidDocumentNamesItsLineColumnAndProblem(document: InvalidDocument) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data(document.bytes)) }
        #expect(error?.description == "line \(document.line), column \(document.column): \(document.message)")
    }

    @Test func theErrorKeepsTheByteOffsetWhileTheColumnCountsScalars() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data("[\"é€😀\",]".utf8)) }
        #expect(error == JSONSyntaxError(line: 1, column: 7, message: "trailing comma", byteOffset: 12))
    }

    @Test func aRequestBodyErrorIsInvalidJSONWithLineAndColumn() {
        let body = Data(#"{"topic": "sales", "message": "x",}"#.utf8)
        let error = #expect(throws: HeraldError.self) { try JSONValue.parseObject(body) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message == "the body is not valid JSON: line 1, column 34: trailing comma")
        #expect((error?.underlying as? JSONSyntaxError)?.column == 34)
    }

    @Test func nestingFarBeyondTheLimitFailsWithoutOverflowingTheStack() {
        let document = Data(String(repeating: "[", count: 200_000).utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(document) }
    }
}
