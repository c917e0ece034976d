/// The syntax Herald accepts for user ids, email addresses and phone numbers (contract §8), checked
/// wherever one enters Herald (a request, `PUT /v1/users/{id}`, `herald.json`, a user service's answer)
/// and again before one is put on the wire.
///
/// - A **user id** is 1 to 128 characters of `A-Z a-z 0-9 . _ : @ -`, and never `.` or `..`, so it is
///   safe in a URL path segment as it is.
/// - An **email address** is an RFC 5321 mailbox without the rarely used forms: `local@domain`, where the
///   local part is dot-separated atoms (no quoted strings) of at most 64 octets and the domain is
///   dot-separated host name labels (letters, digits, inner hyphens; no address literals, IDNs as
///   punycode), at most 254 octets in all. ASCII only, so no space, control character, `<>,;` or quote.
/// - A **phone number** is E.164: `+` then 8 to 15 digits, the first not `0`.
/// - An **APNs device token** is 32 to 200 hexadecimal digits (Apple's are 64 today; the length may grow).
/// - An **FCM registration token** is 16 to 4096 characters of `A-Z a-z 0-9 _ - : .`.
///
/// Device tokens of both forms are safe in a URL path segment as they are.
public enum AddressRules {
    /// The most devices one user may have (each gets a delivery of its own from a push channel).
    public static let maxDevicesPerUser = 1000

    /// The longest user id.
    public static let maxUserIDLength = 128
    /// The longest email address, in octets (RFC 5321's 256-octet path less its angle brackets).
    public static let maxEmailOctets = 254
    /// The longest local part of an email address, in octets.
    public static let maxLocalPartOctets = 64

    /// Whether `id` is a valid user id.
    public static func isValidUserID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...maxUserIDLength).contains(bytes.count), id != ".", id != ".." else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || "._:@-".utf8.contains($0) }
    }

    /// Whether `address` is a valid email address (see the type's rules).
    public static func isValidEmail(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= maxEmailOctets, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.count <= maxLocalPartOctets, isDotString(local), isDomain(domain) else { return false }
        return true
    }

    /// Whether `number` is an E.164 phone number.
    public static func isValidPhoneNumber(_ number: String) -> Bool {
        let bytes = Array(number.utf8)
        guard bytes.first == UInt8(ascii: "+"), (9...16).contains(bytes.count) else { return false }
        let digits = bytes.dropFirst()
        return digits.first != UInt8(ascii: "0") && digits.allSatisfy(isDigit)
    }

    /// Whether `address` is valid for `kind`.
    public static func isValid(_ address: String, as kind: ContactKind) -> Bool {
        switch kind {
        case .email: isValidEmail(address)
        case .sms: isValidPhoneNumber(address)
        case .apns: isValidAPNsToken(address)
        case .fcm: isValidFCMToken(address)
        }
    }

    /// Whether `token` has the form of an APNs device token.
    public static func isValidAPNsToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        return (32...200).contains(bytes.count) && bytes.allSatisfy(isHexDigit)
    }

    /// Whether `token` has the form of an FCM registration token.
    public static func isValidFCMToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        return (16...4096).contains(bytes.count) && bytes.allSatisfy { isAlphanumeric($0) || "_-:.".utf8.contains($0) }
    }

    /// Throws `invalid_value` naming `field` unless `id` is a valid user id.
    public static func requireUserID(_ id: String, field: String) throws(HeraldError) {
        guard isValidUserID(id) else {
            throw HeraldError(.invalidValue, "\(field) \(userIDRule)", field: field)
        }
    }

    /// Throws `invalid_value` naming `field` unless `address` is valid for `kind`.
    public static func requireAddress(_ address: String, as kind: ContactKind, field: String) throws(HeraldError) {
        guard isValid(address, as: kind) else {
            throw HeraldError(.invalidValue, "\(field) \(rule(for: kind))", field: field)
        }
    }

    /// The rule for user ids, as a sentence's predicate ("must be ...").
    public static let userIDRule = "must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -, and not \".\" or \"..\""

    /// The rule for addresses of `kind`, as a sentence's predicate ("must be ...").
    public static func rule(for kind: ContactKind) -> String {
        switch kind {
        case .email: "must be an email address like ana@example.com (RFC 5321 mailbox, at most 254 octets)"
        case .sms: "must be an E.164 phone number like +15550002222 (+ then 8 to 15 digits)"
        case .apns: "must be an APNs device token: 32 to 200 hexadecimal digits"
        case .fcm: "must be an FCM registration token: 16 to 4096 characters of A-Z a-z 0-9 _ - : ."
        }
    }

    // MARK: - RFC 5321 pieces

    /// `Dot-string`: atoms of `atext` joined by single dots.
    private static func isDotString(_ bytes: ArraySlice<UInt8>) -> Bool {
        let atoms = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtomText) }
    }

    /// A host name: labels of letters, digits and inner hyphens, each 1 to 63 octets.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...253).contains(bytes.count) else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtomText(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
