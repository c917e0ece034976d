public import Foundation

/// How far a delivery's current round has got: the attempt budget used and the current streak of
/// rate-limited answers. The retry policy reads it and returns the next one.
public struct DeliveryProgress: Hashable, Sendable, Codable {
    /// Attempts counted against `max_attempts` (rate-limited answers do not count).
    public var attempts: Int
    /// Rate-limited answers in a row since the last other answer; sets the growing wait of the next one.
    public var rateLimitStreak: Int
    /// When the current streak of rate-limited answers began; the one-hour give-up counts from here.
    public var rateLimitedSince: Date?

    public init(attempts: Int = 0, rateLimitStreak: Int = 0, rateLimitedSince: Date? = nil) {
        self.attempts = attempts
        self.rateLimitStreak = rateLimitStreak
        self.rateLimitedSince = rateLimitedSince
    }
}
