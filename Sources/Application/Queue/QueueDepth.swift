public import Foundation

/// A snapshot of the queue's state, for metrics, readiness and draining.
public struct QueueDepth: Hashable, Sendable {
    /// Units waiting to be reserved.
    public var ready: Int
    /// Units leased to workers.
    public var inFlight: Int
    /// Units waiting for a retry time.
    public var scheduled: Int
    /// Units in the dead-letter list.
    public var dead: Int
    /// When the oldest ready unit became ready.
    public var oldestReadySince: Date?
    /// When the earliest scheduled retry is due.
    public var nextScheduledAt: Date?

    public init(
        ready: Int = 0, inFlight: Int = 0, scheduled: Int = 0, dead: Int = 0, oldestReadySince: Date? = nil,
        nextScheduledAt: Date? = nil
    ) {
        self.ready = ready
        self.inFlight = inFlight
        self.scheduled = scheduled
        self.dead = dead
        self.oldestReadySince = oldestReadySince
        self.nextScheduledAt = nextScheduledAt
    }

    /// Whether no unit is ready, in flight or scheduled.
    public var isIdle: Bool { ready == 0 && inFlight == 0 && scheduled == 0 }
}
