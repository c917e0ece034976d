public import Foundation
public import HeraldDomain

/// The queued unit of work: one delivery of one notification, with the counters its retries need.
public struct DeliveryUnit: Hashable, Sendable, Codable {
    /// Which delivery this is.
    public var id: DeliveryID
    /// Attempts already used against `max_attempts`.
    public var attempts: Int
    /// Rate-limited answers in a row (sets the growing wait of the next one).
    public var rateLimitStreak: Int
    /// When the current streak of rate-limited answers began.
    public var rateLimitedSince: Date?
    /// How often the unit alone was held by a worker whose lease expired (a worker crashed or hung
    /// holding only this unit): the poison-pill count.
    public var recoveries: Int
    /// Whether the unit was held by a worker whose lease expired. A suspect is delivered by a worker that
    /// holds nothing else, so a crash it causes is blamed on it alone and never on units beside it.
    public var isSuspect: Bool
    /// When the unit (re)entered the ready list; the age of the oldest one is a health signal.
    public var readySince: Date
    /// Whether the unit waited for a send slot of its channel's rate limit that it took already: it then
    /// sends without asking the limiter again.
    public var holdsRateLimitSlot: Bool

    public init(
        id: DeliveryID, attempts: Int = 0, rateLimitStreak: Int = 0, rateLimitedSince: Date? = nil,
        recoveries: Int = 0, isSuspect: Bool = false, readySince: Date, holdsRateLimitSlot: Bool = false
    ) {
        self.holdsRateLimitSlot = holdsRateLimitSlot
        self.id = id
        self.attempts = attempts
        self.rateLimitStreak = rateLimitStreak
        self.rateLimitedSince = rateLimitedSince
        self.recoveries = recoveries
        self.isSuspect = isSuspect
        self.readySince = readySince
    }

    /// The retry state the policy reads.
    public var progress: DeliveryProgress {
        get { DeliveryProgress(attempts: attempts, rateLimitStreak: rateLimitStreak, rateLimitedSince: rateLimitedSince) }
        set {
            attempts = newValue.attempts
            rateLimitStreak = newValue.rateLimitStreak
            rateLimitedSince = newValue.rateLimitedSince
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, attempts, rateLimitStreak, rateLimitedSince, recoveries, readySince
        case isSuspect = "suspect"
        case holdsRateLimitSlot = "slot"
    }

    /// Decodes a unit; counters absent from older payloads start at zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(DeliveryID.self, forKey: .id),
            attempts: try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 0,
            rateLimitStreak: try container.decodeIfPresent(Int.self, forKey: .rateLimitStreak) ?? 0,
            rateLimitedSince: try container.decodeIfPresent(Date.self, forKey: .rateLimitedSince),
            recoveries: try container.decodeIfPresent(Int.self, forKey: .recoveries) ?? 0,
            isSuspect: try container.decodeIfPresent(Bool.self, forKey: .isSuspect) ?? false,
            readySince: try container.decode(Date.self, forKey: .readySince),
            holdsRateLimitSlot: try container.decodeIfPresent(Bool.self, forKey: .holdsRateLimitSlot) ?? false)
    }
}
