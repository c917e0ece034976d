import Foundation
import HeraldDomain
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Data(text.utf8))
    }

    @Test func everyEscapeAndSurrogatePairDecodes() throws {
        let value = try parse(#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC\uD83D\uDE00\u0000", "é€😀", "", "\uDBFF\uDFFF"]"#)
        #expect(value == ["\"\\/\u{8}\u{C}\n\r\t", "Aé€😀\u{0}", "é€😀", "", "\u{10FFFF}"])
    }

    @Test func nestedDocumentsDecodeToTheSameTree() throws {
        let value = try parse(" \t\r\n{\"a\": [1, {\"b\": [[], {}]}, null, true, false], \"c\": {\"d\": \"e\"}} \t\r\n")
        #expect(value == ["a": [1, ["b": [[], [:]]], .null, true, false], "c": ["d": "e"]])
    }

    @Test(arguments: [
        "0", "1", "-1", "123456789012345", "-123456789012345", "1234567890123456", "12345678901234567890",
        "9007199254740993", "0.1", "0.3", "-0.000001", "1e22", "1e23", "1E+2", "1e-2", "123.456e-7", "4.35",
        "1.7976931348623157e308", "-1.7976931348623157e308", "5e-324", "2.2250738585072014E-308", "1e-400",
        "0.000000000000000000000000000001", "100000000000000000000000000000", "3.141592653589793238462643383279",
        "1.00000000000000000000000000000000001", "0e999999999999", "123e-22", "999999999999999e22",
    ])
    func numbersAreTheNearestDouble(text: String) throws {
        #expect(try parse(text) == .number(try #require(Double(text))))
    }

    @Test func negativeZeroKeepsItsSign() throws {
        guard case .number(let zero) = try parse("-0") else { Issue.record("not a number"); return }
        #expect(zero == 0 && zero.sign == .minus)
    }

    @Test func numbersWithFewDigitsConvertExactlyAsTheStandardLibraryDoes() throws {
        var random = SeededRandom(seed: 8)
        for _ in 0..<20_000 {
            let digits = String(random.next() % 1_000_000_000_000_000)
            let point = Int(random.next() % UInt64(digits.count + 1))
            let exponent = Int(random.next() % 61) - 30
            let text = String(digits.prefix(point).isEmpty ? "0" : digits.prefix(point))
                + (point < digits.count ? "." + digits.dropFirst(point) : "") + "e\(exponent)"
            #expect(try parse(text) == .number(try #require(Double(text))), "\(text)")
        }
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        #expect(try JSONParser.parse(Data([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8))) == ["a": 1])
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = JSONParser.maximumDepth
        var expected: JSONValue = []
        for _ in 1..<depth { expected = [expected] }
        #expect(try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == expected)
    }

    @Test func generatedDocumentsRoundTripThroughAnEncoder() throws {
        var random = SeededRandom(seed: 3)
        for _ in 0..<500 {
            let value = random.jsonValue(depth: 4)
            #expect(try JSONParser.parse(try JSONEncoder().encode(value)) == value)
        }
    }
}
