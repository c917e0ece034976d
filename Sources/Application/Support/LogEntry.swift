/// One thing Herald logs: a level, a constant message (`"delivery sent"`), and structured metadata
/// (`notification_id`, `channel`, `worker`, ...) that a ``LogSink`` writes out or hands to a host's logger.
public struct LogEntry: Hashable, Sendable {
    /// How much it matters.
    public enum Level: String, Hashable, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The source every entry Herald writes carries, so a host's logs name Herald rather than the host's module.
    public static let heraldSource = "herald"

    public var level: Level
    public var message: String
    public var metadata: [String: String]
    /// Where the entry comes from: ``heraldSource`` for Herald's own entries.
    public var source: String

    public init(_ level: Level, _ message: String, metadata: [String: String] = [:], source: String = LogEntry.heraldSource) {
        self.level = level
        self.message = message
        self.metadata = metadata
        self.source = source
    }
}
