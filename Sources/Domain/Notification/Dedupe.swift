/// The rules of `dedupe_key`: which keys are valid and how long one holds.
public enum Dedupe {
    /// A key's window when the request names none: one hour.
    public static let defaultWindowSeconds = 3600
    /// The longest window: 7 days (a record is kept at least that long by default, so a deduplicated answer can
    /// still name what the first request became).
    public static let maxWindowSeconds = 7 * 86_400
    /// The longest key, in bytes.
    public static let maxKeyLength = 255

    /// Checks the request's key and window (nothing to check without a key).
    /// - Throws: `invalid_value` naming `dedupe_key` or `dedupe_window_s`.
    public static func validate(_ request: NotificationRequest) throws(HeraldError) {
        guard let key = request.dedupeKey else {
            if request.dedupeWindowSeconds != nil {
                throw HeraldError(.invalidValue, "dedupe_window_s needs a dedupe_key", field: "dedupe_window_s")
            }
            return
        }
        guard !key.isEmpty, key.utf8.count <= maxKeyLength, !key.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
        else {
            throw HeraldError(
                .invalidValue, "dedupe_key must be 1 to \(maxKeyLength) bytes without control characters", field: "dedupe_key")
        }
        if let window = request.dedupeWindowSeconds, !(1...maxWindowSeconds).contains(window) {
            throw HeraldError(
                .invalidValue, "dedupe_window_s must be a whole number from 1 to \(maxWindowSeconds)", field: "dedupe_window_s")
        }
    }
}
