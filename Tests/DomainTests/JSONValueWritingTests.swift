import Foundation
import HeraldDomain
import Testing

/// `JSONValue.jsonText`: compact, sorted, escaped JSON that reads back as the same value, by Herald's parser and
/// by Foundation's.
@Suite struct JSONValueWritingTests {
    @Test func randomValuesReadBackAsTheSameValueByHeraldsParserAndFoundationsAcceptsThem() throws {
        var random = SeededRandom(seed: 0x5EED_0009)
        for _ in 0..<2_000 {
            let value = random.jsonValue(depth: 4)
            let text = value.jsonText
            #expect(try JSONValue.parse(Data(text.utf8)) == value, "\(text)")
            #expect(throws: Never.self, "\(text)") {
                try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            }
        }
    }

    @Test func objectKeysAreSortedSoEqualValuesReadTheSame() {
        let value: JSONValue = ["b": 1, "a": ["z": true, "c": .null], "é": "x"]
        #expect(value.jsonText == #"{"a":{"c":null,"z":true},"b":1,"é":"x"}"#)
    }

    @Test func quotesBackslashesAndControlCharactersAreEscapedAndSlashesAndNonASCIIAreNot() {
        let value = JSONValue.string("say \"hi\"\\ a/b\n\r\t\u{08}\u{0C}\u{0}\u{1F} é😀")
        #expect(value.jsonText == #""say \"hi\"\\ a/b\n\r\t\b\f\u0000\u001f é😀""#)
    }

    @Test func integralNumbersHaveNoDecimalPointAndNonFiniteOnesAreNull() {
        let value: JSONValue = [1_733_130_000_123, -0.0, 2.5, 1e300, .number(.infinity), .number(.nan)]
        #expect(value.jsonText == "[1733130000123,0,2.5,1e+300,null,null]")
    }
}
