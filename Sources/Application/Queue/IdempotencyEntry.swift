public import Foundation
public import HeraldDomain

/// A claimed `Idempotency-Key`: which notification it created and a fingerprint of the request.
public struct IdempotencyEntry: Hashable, Sendable, Codable {
    public var key: String
    /// The canonical form of the request that claimed the key; a repeat must match it.
    public var fingerprint: String
    public var notificationID: NotificationID
    /// When the key may be forgotten (24 hours after the claim by default).
    public var expiresAt: Date

    public init(key: String, fingerprint: String, notificationID: NotificationID, expiresAt: Date) {
        self.key = key
        self.fingerprint = fingerprint
        self.notificationID = notificationID
        self.expiresAt = expiresAt
    }
}
