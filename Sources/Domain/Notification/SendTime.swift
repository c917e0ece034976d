public import Foundation

/// When a request is to be delivered: now, or at its `send_at`, or `delay_s` after acceptance.
public enum SendTime {
    /// How far ahead a notification may be scheduled: 366 days.
    public static let maxSecondsAhead = 366 * 86_400

    /// The time `request` asks to be delivered at, or nil for now (a `send_at` in the past, or a zero delay).
    /// - Throws: `invalid_value` naming `send_at` when it is more than 366 days after `now`.
    public static func scheduledTime(of request: NotificationRequest, now: Date) throws(HeraldError) -> Date? {
        let time: Date
        if let sendAt = request.sendAt {
            time = sendAt
        } else if let delay = request.delaySeconds {
            time = now.addingTimeInterval(TimeInterval(delay))
        } else {
            return nil
        }
        guard time.timeIntervalSince(now) <= TimeInterval(maxSecondsAhead) else {
            throw HeraldError(.invalidValue, "send_at may be at most 366 days ahead", field: "send_at")
        }
        return time > now ? time : nil
    }
}

/// RFC 3339 timestamps as requests carry them: `2026-12-24T18:00:00Z`, with optional fractional seconds and a
/// numeric offset (`+01:00`).
public enum RFC3339 {
    /// The time `text` names, or nil when it is not an RFC 3339 date-time.
    public static func date(from text: String) -> Date? {
        guard text.utf8.count <= 40, text.utf8.count >= 20 else { return nil }
        let plain = Date.ISO8601FormatStyle(timeZone: .gmt)
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return (try? plain.parse(text)) ?? (try? fractional.parse(text))
    }
}
