public import Foundation

/// A unit leased to one worker until ``expiresAt``; settling it needs the same ``token``.
public struct Reservation: Hashable, Sendable {
    public var unit: DeliveryUnit
    /// Unique per reservation, so a worker whose lease was reclaimed cannot settle the new one.
    public var token: String
    public var worker: WorkerID
    public var expiresAt: Date

    public init(unit: DeliveryUnit, token: String, worker: WorkerID, expiresAt: Date) {
        self.unit = unit
        self.token = token
        self.worker = worker
        self.expiresAt = expiresAt
    }
}
