public import Foundation

/// A unit that will not be retried automatically, and why.
public struct DeadLetter: Hashable, Sendable, Codable {
    public var unit: DeliveryUnit
    public var reason: String
    public var deadAt: Date
    /// The delivery's attempts when it died (nil in letters that did not record it: use the unit's).
    public var attempts: Int?

    public init(unit: DeliveryUnit, reason: String, deadAt: Date, attempts: Int? = nil) {
        self.unit = unit
        self.reason = reason
        self.deadAt = deadAt
        self.attempts = attempts
    }
}
