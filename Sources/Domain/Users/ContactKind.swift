/// The kind of address a channel needs to reach a person.
public enum ContactKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An email address.
    case email
    /// A phone number for text messages (E.164, `+15550002222`).
    case sms
}
