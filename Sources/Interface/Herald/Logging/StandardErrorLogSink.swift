public import HeraldApplication
public import Foundation
import HeraldSockets

/// Writes one logfmt line per event to standard error
/// (`ts=2026-11-22T01:02:03.456Z level=info msg="delivery sent" channel=slack notification_id=ntf_…`),
/// from a writer thread: logging never blocks the caller on a slow reader, and lines logged together
/// share one `write(2)`. ``flush()`` waits for what was logged (the CLI calls it before exiting).
public struct StandardErrorLogSink: LogSink {
    /// Events below this level are dropped.
    public var minimumLevel: LogEntry.Level

    public init(minimumLevel: LogEntry.Level = .info) {
        self.minimumLevel = minimumLevel
    }

    public func log(_ event: LogEntry) {
        guard event.level >= minimumLevel else { return }
        BatchedDescriptorWriter.standardError.write(Self.format(event))
    }

    /// Blocks until every line logged so far has been written.
    public static func flush() {
        BatchedDescriptorWriter.standardError.flush()
    }

    /// The logfmt line for `event` at `date` (RFC 3339, UTC), with metadata keys sorted.
    public static func format(_ event: LogEntry, at date: Date = Date()) -> String {
        let timestamp = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
        var fields = ["ts=\(timestamp)", "level=\(event.level.rawValue)", "msg=\(quoted(event.message))"]
        for key in event.metadata.keys.sorted() {
            fields.append("\(key)=\(quoted(event.metadata[key]!))")
        }
        return fields.joined(separator: " ")
    }

    /// The scalars that break a line (what `Character.isNewline` matches).
    private static let lineBreaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029]

    /// The value as is when it needs no quotes, else quoted with `\\`, `"`, LF and CR escaped: one pass over
    /// its scalars (this runs for every field of every log line).
    private static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || lineBreaks.contains(scalar.value)
        }
        guard needsQuotes else { return value }
        var escaped = String.UnicodeScalarView()
        escaped.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": escaped.append(contentsOf: "\\\"".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            case "\r": escaped.append(contentsOf: "\\r".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        escaped.append("\"")
        return String(escaped)
    }
}
