public import Foundation

/// A unit that will not be retried automatically, and why.
public struct DeadLetter: Hashable, Sendable, Codable {
    public var unit: DeliveryUnit
    public var reason: String
    public var deadAt: Date

    public init(unit: DeliveryUnit, reason: String, deadAt: Date) {
        self.unit = unit
        self.reason = reason
        self.deadAt = deadAt
    }
}
