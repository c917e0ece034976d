public import Foundation
public import HeraldDomain

/// A unit leased to one worker until ``expiresAt``; settling it needs the same ``token``.
public struct Reservation: Hashable, Sendable {
    public var unit: DeliveryUnit
    /// Unique per reservation, so a worker whose lease was reclaimed cannot settle the new one.
    public var token: String
    public var worker: WorkerID
    public var expiresAt: Date
    /// The unit's notification as read in the same step as the reservation, when the queue can do that
    /// cheaply (it saves the worker a store round trip); nil means the worker reads it from the store.
    public var record: NotificationRecord?

    public init(unit: DeliveryUnit, token: String, worker: WorkerID, expiresAt: Date, record: NotificationRecord? = nil) {
        self.unit = unit
        self.token = token
        self.worker = worker
        self.expiresAt = expiresAt
        self.record = record
    }
}
