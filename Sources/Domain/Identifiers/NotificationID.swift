/// The identifier Herald gives an accepted notification (`ntf_` followed by 26 random base-32 characters).
public struct NotificationID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new random identifier with 130 bits of entropy.
    public static func generate() -> NotificationID {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// A new identifier drawn from `generator`, for deterministic tests.
    ///
    /// Three 64-bit draws give the 130 bits (26 characters of 5 bits), so the system generator is asked
    /// three times per identifier rather than once per character (each ask is a `getrandom` call on Linux).
    public static func generate(using generator: inout some RandomNumberGenerator) -> NotificationID {
        let words = (generator.next(), generator.next(), generator.next() as UInt64)
        var suffix = [UInt8](repeating: 0, count: 26)
        for index in 0..<26 {
            let bit = index * 5
            let word = bit < 60 ? words.0 >> UInt64(bit) : bit < 120 ? words.1 >> UInt64(bit - 60) : words.2 >> UInt64(bit - 120)
            suffix[index] = alphabet[Int(word & 31)]
        }
        return NotificationID(rawValue: "ntf_" + String(decoding: suffix, as: UTF8.self))
    }

    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
}
