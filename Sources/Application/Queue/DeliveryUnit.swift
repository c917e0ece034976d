public import Foundation
public import HeraldDomain

/// The queued unit of work: one delivery of one notification, with the counters its retries need.
public struct DeliveryUnit: Hashable, Sendable, Codable {
    /// Which delivery this is.
    public var id: DeliveryID
    /// Attempts already used against `max_attempts`.
    public var attempts: Int
    /// Seconds spent waiting on rate limits so far, in total.
    public var rateLimitedSeconds: Double
    /// How often the unit came back from an expired lease (a worker crashed holding it).
    public var recoveries: Int
    /// When the unit (re)entered the ready list; the age of the oldest one is a health signal.
    public var readySince: Date

    public init(id: DeliveryID, attempts: Int = 0, rateLimitedSeconds: Double = 0, recoveries: Int = 0, readySince: Date) {
        self.id = id
        self.attempts = attempts
        self.rateLimitedSeconds = rateLimitedSeconds
        self.recoveries = recoveries
        self.readySince = readySince
    }
}
