/// Guards values that end up in protocol headers (email subjects, addresses) against injection.
public enum HeaderSafety {
    /// Throws `invalid_value` naming `field` when `value` contains CR or LF.
    public static func requireSingleLine(_ value: String?, field: String) throws(HeraldError) {
        guard let value, value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { return }
        throw HeraldError(.invalidValue, "\(field) must not contain CR or LF", field: field)
    }
}
