public import HeraldDomain

/// The queue for operators: exact totals (``QueueDepth``) with the per-channel and per-worker snapshot.
public struct InspectQueue: Sendable {
    private let depth: any QueueInspection
    private let statistics: any QueueStatisticsSource
    private let channels: [ChannelName]

    /// - Parameter channels: the configured channels, listed even while they hold nothing.
    public init(depth: any QueueInspection, statistics: any QueueStatisticsSource, channels: [ChannelName]) {
        self.depth = depth
        self.statistics = statistics
        self.channels = channels.sorted()
    }

    /// - Throws: `queue_unavailable`.
    public func callAsFunction() async throws -> (depth: QueueDepth, statistics: QueueStatistics) {
        async let totals = depth.depth()
        async let snapshot = statistics.statistics(channels: channels)
        return try await (totals, snapshot)
    }
}
