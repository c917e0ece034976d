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
    public static func generate(using generator: inout some RandomNumberGenerator) -> NotificationID {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        let suffix = (0..<26).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return NotificationID(rawValue: "ntf_" + String(suffix))
    }
}
