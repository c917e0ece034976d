/// How to reach a person: the addresses the user service knows.
public struct Contact: Hashable, Sendable, Codable {
    /// An email address.
    public var email: String?
    /// A phone number for text messages.
    public var sms: String?

    public init(email: String? = nil, sms: String? = nil) {
        self.email = email
        self.sms = sms
    }

    /// The address of `kind`, if known.
    public func address(for kind: ContactKind) -> String? {
        switch kind {
        case .email: email
        case .sms: sms
        }
    }

    /// Checks that no address can smuggle a header line: CR or LF is `invalid_value`.
    public func validate() throws(HeraldError) {
        try HeaderSafety.requireSingleLine(email, field: "email")
        try HeaderSafety.requireSingleLine(sms, field: "sms")
    }
}
