public import Foundation
public import HeraldApplication
public import HeraldDomain

/// A queue whose backend is down: every call throws `queue_unavailable`, as the Redis queue does while Redis
/// is unreachable. For a host's tests of its outage handling (`send` answers `503 queue_unavailable`, nothing
/// is accepted).
public struct FailingQueue: DeliveryQueue {
    /// The message of every error thrown.
    public var message: String

    public init(message: String = "the queue is unavailable (FailingQueue)") {
        self.message = message
    }

    private func failure() -> HeraldError { HeraldError(.queueUnavailable, message) }

    public func enqueue(_ submission: Submission) async throws -> SubmissionOutcome { throw failure() }
    public func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        throw failure()
    }
    public func cancel(_ notificationID: NotificationID) async throws -> Cancellation? {
        throw failure()
    }
    public func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    { throw failure() }
    public func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        throw failure()
    }
    public func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool { throw failure() }
    public func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    { throw failure() }
    public func release(_ reservation: Reservation) async throws -> Bool { throw failure() }
    public func renewLeases(of worker: WorkerID, for lease: Duration) async throws { throw failure() }
    public func leasedTokens(of worker: WorkerID) async throws -> Set<String> { throw failure() }
    public func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int { throw failure() }
    public func recoverExpiredLeases() async throws -> LeaseRecovery { throw failure() }
    public func depth() async throws -> QueueDepth { throw failure() }
    public func deadLetters(limit: Int) async throws -> [DeadLetter] { throw failure() }
}
