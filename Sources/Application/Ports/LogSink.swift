/// Where Herald writes what happens: one call per ``LogEntry``, from any task or thread.
///
/// Give one to ``Herald``'s initializer; everything Herald logs (requests, deliveries, workers, start-up
/// warnings) goes there. `HeraldLogging` in the Integrations package adapts a swift-log `Logger`;
/// `StandardErrorLogSink` writes logfmt lines; ``SilentLogSink`` drops everything.
public protocol LogSink: Sendable {
    /// Records `entry`; must not block for long (it is called on the delivery and request paths).
    func log(_ entry: LogEntry)
}

/// A sink that drops everything, for hosts that do not want Herald's logs.
public struct SilentLogSink: LogSink {
    public init() {}
    public func log(_ entry: LogEntry) {}
}
