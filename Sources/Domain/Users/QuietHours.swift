public import Foundation

/// A daily window in the user's own time zone in which non-critical deliveries wait (`"quiet_hours": {"start":
/// "22:00", "end": "07:00"}`); a window may cross midnight. Computed with the OS's time zone data, so the end is
/// right across daylight-saving changes.
public struct QuietHours: Hashable, Sendable, Codable {
    /// Minutes after local midnight the window starts and ends.
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `"HH:MM"` (00:00–23:59); nil otherwise.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// `"HH:MM"` for a minute of the day.
    public static func text(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Reads `{"start": "HH:MM", "end": "HH:MM"}` strictly.
    /// - Throws: `invalid_value` or `unknown_field` naming the path under `field`.
    public static func parse(_ value: JSONValue, field: String) throws(HeraldError) -> QuietHours {
        guard case .object(let members) = value else {
            throw HeraldError(.invalidValue, "\(field) must be an object {\"start\", \"end\"}", field: field)
        }
        if let unknown = members.keys.sorted().first(where: { $0 != "start" && $0 != "end" }) {
            throw HeraldError(.unknownField, "unknown field \"\(unknown)\" in \(field)", field: "\(field).\(unknown)")
        }
        func time(_ name: String) throws(HeraldError) -> Int {
            guard case .string(let text)? = members[name], let minutes = minutes(text) else {
                throw HeraldError(.invalidValue, "\(field).\(name) must be a time \"HH:MM\" (00:00 to 23:59)", field: "\(field).\(name)")
            }
            return minutes
        }
        let hours = QuietHours(start: try time("start"), end: try time("end"))
        guard hours.start != hours.end else {
            throw HeraldError(.invalidValue, "\(field) must end at another time than it starts", field: "\(field).end")
        }
        return hours
    }

    /// The end of the window `instant` falls in, in `timeZone`; nil when it falls outside the window.
    public func end(ofWindowAt instant: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let local = calendar.dateComponents([.hour, .minute], from: instant)
        let minute = (local.hour ?? 0) * 60 + (local.minute ?? 0)
        let inside = start < end ? (start <= minute && minute < end) : (minute >= start || minute < end)
        guard inside else { return nil }
        // The next local `end` after the instant is this window's end; `.nextTime` moves past a time a
        // daylight-saving jump skips.
        return calendar.nextDate(
            after: instant, matching: DateComponents(hour: end / 60, minute: end % 60, second: 0),
            matchingPolicy: .nextTime, direction: .forward)
    }

    /// The `{"start", "end"}` JSON of the window.
    public var json: JSONValue { .object(["start": .string(Self.text(start)), "end": .string(Self.text(end))]) }
}
