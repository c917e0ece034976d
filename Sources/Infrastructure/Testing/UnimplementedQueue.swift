public import Foundation
public import HeraldApplication
public import HeraldDomain

/// Each queue role with nothing implemented: every call throws ``Unimplemented`` naming it. Give a use case the
/// role it needs as a fake of your own and this for the rest, or wrap it to implement one call.
public struct UnimplementedQueue: DeliveryQueue {
    public init() {}

    public func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        throw Unimplemented("NotificationIntake.enqueue")
    }
    public func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        throw Unimplemented("NotificationIntake.requeue")
    }
    public func cancel(_ notificationID: NotificationID) async throws -> Cancellation? {
        throw Unimplemented("NotificationIntake.cancel")
    }
    public func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    { throw Unimplemented("DeliveryLeasing.reserve") }
    public func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        throw Unimplemented("DeliveryLeasing.acknowledge")
    }
    public func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool { throw Unimplemented("DeliveryLeasing.scheduleRetry") }
    public func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    { throw Unimplemented("DeliveryLeasing.deadLetter") }
    public func release(_ reservation: Reservation) async throws -> Bool { throw Unimplemented("DeliveryLeasing.release") }
    public func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        throw Unimplemented("LeaseMaintenance.renewLeases")
    }
    public func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        throw Unimplemented("LeaseMaintenance.leasedTokens")
    }
    public func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        throw Unimplemented("LeaseMaintenance.releaseLeases")
    }
    public func recoverExpiredLeases() async throws -> LeaseRecovery {
        throw Unimplemented("LeaseMaintenance.recoverExpiredLeases")
    }
    public func depth() async throws -> QueueDepth { throw Unimplemented("QueueInspection.depth") }
    public func deadLetters(limit: Int) async throws -> [DeadLetter] { throw Unimplemented("QueueInspection.deadLetters") }
}
