public import Herald
public import Logging

/// A Herald ``LogSink`` that writes to a swift-log `Logger`, so Herald's lines join the host's logs.
///
/// Levels map one to one (`debug`, `info`, `warning`, `error`); Herald's metadata (`notification_id`, `channel`,
/// `request_id`, ...) becomes swift-log string metadata beside the logger's own; `source` is the entry's source
/// (`"herald"`), not the module that created the logger. The logger's level filters as usual, and metadata is
/// converted only for entries that pass it.
///
/// ```swift
/// let herald = try Herald(logger: SwiftLogSink(Logger(label: "herald")))
/// ```
public struct SwiftLogSink: LogSink {
    /// The logger every entry goes to.
    public let logger: Logger

    public init(_ logger: Logger) {
        self.logger = logger
    }

    public func log(_ entry: LogEntry) {
        logger.log(
            level: Logger.Level(entry.level), "\(entry.message)", metadata: Self.metadata(of: entry),
            source: entry.source)
    }

    private static func metadata(of entry: LogEntry) -> Logger.Metadata? {
        guard !entry.metadata.isEmpty else { return nil }
        return entry.metadata.mapValues { .string($0) }
    }
}

extension Logger.Level {
    /// The swift-log level of a Herald level.
    init(_ level: LogEntry.Level) {
        switch level {
        case .debug: self = .debug
        case .info: self = .info
        case .warning: self = .warning
        case .error: self = .error
        }
    }
}
