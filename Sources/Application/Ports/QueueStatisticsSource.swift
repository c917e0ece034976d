public import Foundation
public import HeraldDomain

/// The queue per channel and its live workers, for operators (`GET /v1/queue`, the dashboard).
public protocol QueueStatisticsSource: Sendable {
    /// Counts per channel (every channel of `channels`, and any other the queue holds units of) and the live
    /// workers. Reads at most ``QueueStatistics/scanLimit`` units of each structure.
    func statistics(channels: [ChannelName]) async throws -> QueueStatistics
}

/// A snapshot of the queue for operators.
public struct QueueStatistics: Hashable, Sendable {
    /// One channel's units.
    public struct Channel: Hashable, Sendable {
        public var ready = 0
        public var scheduled = 0
        public var inFlight = 0
        public var dead = 0
        /// Since when its oldest ready unit has waited.
        public var oldestReadySince: Date?

        public init() {}
    }

    /// A worker whose lease is live.
    public struct Worker: Hashable, Sendable {
        public var id: WorkerID
        /// Its last heartbeat (or reserve), by the queue's clock.
        public var lastHeartbeat: Date?
        public var inFlight: Int

        public init(id: WorkerID, lastHeartbeat: Date?, inFlight: Int) {
            self.id = id
            self.lastHeartbeat = lastHeartbeat
            self.inFlight = inFlight
        }
    }

    public var channels: [ChannelName: Channel]
    public var workers: [Worker]
    /// False when a structure held more than ``scanLimit`` units: the per-channel counts then cover the oldest
    /// ``scanLimit`` of it (the totals of `QueueDepth` stay exact).
    public var isComplete: Bool
    /// When the snapshot was taken, by the queue's clock.
    public var takenAt: Date

    /// The most units read of each structure (ready, suspects, scheduled, one worker's list).
    public static let scanLimit = 10_000

    public init(channels: [ChannelName: Channel], workers: [Worker], isComplete: Bool, takenAt: Date) {
        self.channels = channels
        self.workers = workers
        self.isComplete = isComplete
        self.takenAt = takenAt
    }
}
