public import HeraldApplication
public import Foundation

/// Writes one logfmt line per event to standard error
/// (`ts=2026-11-22T01:02:03.456Z level=info msg="delivery sent" channel=slack notification_id=ntf_…`).
public struct StandardErrorLogSink: LogSink {
    /// Events below this level are dropped.
    public var minimumLevel: LogEvent.Level

    public init(minimumLevel: LogEvent.Level = .info) {
        self.minimumLevel = minimumLevel
    }

    public func log(_ event: LogEvent) {
        guard event.level >= minimumLevel else { return }
        FileHandle.standardError.write(Data((Self.format(event) + "\n").utf8))
    }

    /// The logfmt line for `event` at `date` (RFC 3339, UTC), with metadata keys sorted.
    public static func format(_ event: LogEvent, at date: Date = Date()) -> String {
        let timestamp = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
        var fields = ["ts=\(timestamp)", "level=\(event.level.rawValue)", "msg=\(quoted(event.message))"]
        for key in event.metadata.keys.sorted() {
            fields.append("\(key)=\(quoted(event.metadata[key]!))")
        }
        return fields.joined(separator: " ")
    }

    private static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            .replacing("\n", with: "\\n").replacing("\r", with: "\\r")
        return "\"\(escaped)\""
    }
}
