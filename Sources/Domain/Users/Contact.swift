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

    /// Checks every address against ``AddressRules`` (an email mailbox, an E.164 number), so none can
    /// smuggle a header line or a second recipient.
    /// - Throws: `invalid_value` whose field is `email` or `sms`.
    public func validate() throws(HeraldError) {
        for kind in ContactKind.allCases {
            guard let address = address(for: kind) else { continue }
            try AddressRules.requireAddress(address, as: kind, field: kind.rawValue)
        }
    }
}
