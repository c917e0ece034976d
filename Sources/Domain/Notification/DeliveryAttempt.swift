public import Foundation

/// One send of a delivery, as its timeline shows it: when, what the provider's answer meant, and how long it took.
public struct DeliveryAttempt: Hashable, Sendable, Codable {
    /// What an attempt's answer meant.
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        case sent
        /// A transient failure: another attempt was scheduled.
        case retry
        /// The provider asked to slow down: another attempt was scheduled.
        case rateLimited = "rate_limited"
        /// A permanent failure, or the last attempt: dead-lettered.
        case failed
    }

    /// When the answer came.
    public var at: Date
    public var outcome: Outcome
    /// The provider's error (redacted), when it was not sent.
    public var error: String?
    /// How long the send took, in milliseconds.
    public var durationMilliseconds: Int?

    public init(at: Date, outcome: Outcome, error: String? = nil, durationMilliseconds: Int? = nil) {
        self.at = at
        self.outcome = outcome
        self.error = error
        self.durationMilliseconds = durationMilliseconds
    }

    /// The most attempts a delivery keeps (the newest).
    public static let kept = 20
}
