public import Foundation

/// What the queue did per minute, for the dashboard's chart: accepted notifications and settled attempts, counted
/// by the queue as they happen (on Redis by every process together).
public protocol ThroughputSource: Sendable {
    /// The last `minutes` minutes (1 to 60), oldest first, the current one last.
    func throughput(minutes: Int) async throws -> [ThroughputMinute]
}

/// One minute's counts.
public struct ThroughputMinute: Hashable, Sendable {
    /// When the minute began.
    public var start: Date
    public var accepted = 0
    public var sent = 0
    public var retried = 0
    public var failed = 0

    public init(start: Date, accepted: Int = 0, sent: Int = 0, retried: Int = 0, failed: Int = 0) {
        self.start = start
        self.accepted = accepted
        self.sent = sent
        self.retried = retried
        self.failed = failed
    }

    /// The minute a time falls in, as minutes since 1970.
    public static func index(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
}
