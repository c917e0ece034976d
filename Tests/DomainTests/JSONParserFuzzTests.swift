import Foundation
import HeraldDomain
import Testing

/// Random byte edits of valid documents: the parser must never crash, and whatever it accepts must be JSON
/// that an encoder writes back and the parser reads again as the same value.
@Suite struct JSONParserFuzzTests {
    static let seeds: [String] = [
        #"{"topic": "sales", "message": "Customer needs help", "user_id": 123, "channels": ["slack", "email"]}"#,
        #"{"template": "welcome", "data": {"name": "Ana", "cart": {"items": [1, 2.5, -3e2], "total": 1.25E+2}}}"#,
        #"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\uD83D\uDE00", "é€😀", true, false, null, 0, -0.0, 1e-7]"#,
        "{\n  \"channels\": {\n    \"sms\": {\"type\": \"twilio\", \"to\": [\"+15550002222\"]},\n    \"log\": {}\n  }\n}\n",
        "[[[[[[[[[[{}]]]]]]]]]]",
    ]

    /// Bytes that turn valid JSON into the near-misses the parser must refuse.
    static let interestingBytes: [UInt8] = Array(",:{}[]\"\\/'0-+.eE \t\n\ru".utf8)
        + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xF0, 0xF4, 0xFF]

    @Test func mutatedDocumentsNeverCrashAndWhatIsAcceptedRoundTrips() throws {
        var random = SeededRandom(seed: 2026)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var accepted = 0
        for round in 0..<30_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0...Int.random(in: 0..<3, using: &random) { mutate(&bytes, using: &random) }
            guard let value = try? JSONParser.parse(Data(bytes)) else { continue }
            accepted += 1
            let reencoded = try encoder.encode(value)
            #expect(try JSONParser.parse(reencoded) == value, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value,
                    "Foundation reads \(String(decoding: bytes, as: UTF8.self)) differently")
        }
        #expect(accepted > 1_000, "the mutations should leave many documents valid")
    }

    private func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        let byte = Bool.random(using: &random)
            ? Self.interestingBytes[Int.random(in: 0..<Self.interestingBytes.count, using: &random)]
            : UInt8.random(in: 0...255, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty: bytes[position] = byte
        case 1: bytes.insert(byte, at: position)
        case 2 where !bytes.isEmpty: bytes.remove(at: position)
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, position + Int.random(in: 1...8, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        default: bytes.removeLast(Int.random(in: 0...min(3, bytes.count), using: &random))
        }
    }
}
