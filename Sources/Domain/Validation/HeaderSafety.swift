/// Guards values that end up in protocol headers (email subjects, addresses) against injection.
public enum HeaderSafety {
    /// Throws `invalid_value` naming `field` when `value` contains CR or LF.
    public static func requireSingleLine(_ value: String?, field: String) throws(HeraldError) {
        guard let value, value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { return }
        throw HeraldError(.invalidValue, "\(field) must not contain CR or LF", field: field)
    }

    /// The longest subject, in UTF-8 octets: RFC 5322's line limit (longer ones are refused, shorter ones folded).
    public static let maxSubjectOctets = 998

    /// Throws `invalid_value` naming `field` when `subject` contains CR or LF or is longer than
    /// ``maxSubjectOctets``.
    public static func requireSubject(_ subject: String?, field: String) throws(HeraldError) {
        try requireSingleLine(subject, field: field)
        guard let subject, subject.utf8.count > maxSubjectOctets else { return }
        throw HeraldError(
            .invalidValue, "\(field) must be at most \(maxSubjectOctets) octets (it has \(subject.utf8.count))",
            field: field)
    }
}
