/// Where Herald writes what happens. Shaped like swift-log's `LogHandler` so a host adapts it in a few
/// lines; Herald never builds one of its own inside the library.
public protocol LogSink: Sendable {
    /// Records `event`; must not block for long.
    func log(_ event: LogEvent)
}

/// A sink that drops everything, for hosts that do not want Herald's logs.
public struct SilentLogSink: LogSink {
    public init() {}
    public func log(_ event: LogEvent) {}
}
