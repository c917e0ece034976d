public import HeraldHTTP
import HeraldRedis
public import HeraldApplication
public import HeraldDomain

/// A running Herald: accepts notifications, answers status questions and runs the workers.
///
/// Build one with ``make(configuration:channels:clock:log:)``:
/// ```swift
/// let herald = try await Herald.make(configuration: .load(path: "herald.json"))
/// let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
/// try await herald.runWorkers()
/// ```
public struct Herald: Sendable {
    /// The configuration this instance was built from.
    public let configuration: HeraldConfiguration
    /// The queue (the persistence of accepted notifications).
    public let queue: any DeliveryQueue
    /// Notification records, for status reads.
    public let store: any NotificationStore
    /// The user service.
    public let directory: any ContactDirectory
    /// The channels deliveries go through.
    public let channels: ChannelRegistry
    /// The worker that delivers queued units.
    public let worker: HeraldWorker
    /// What this process accepted and delivered (served at `/metrics`).
    public let metrics: DeliveryMetrics

    let backend: QueueBackend
    let clock: any WallClock
    let sendNotification: SendNotification
    let getStatus: GetNotificationStatus
    let retryNotification: RetryNotification
    let resolveContact: ResolveContact
    let updateUserProfile: UpdateUserProfile

    /// Accepts a notification; returns once it is persisted and its deliveries are queued.
    /// - Throws: ``HeraldError`` with a validation code (nothing was accepted) or `queue_unavailable`.
    public func send(_ request: NotificationRequest, idempotencyKey: String? = nil) async throws
        -> NotificationReceipt
    {
        try await sendNotification(request, idempotencyKey: idempotencyKey)
    }

    /// The notification `id` with each delivery's status, attempts and last error.
    /// - Throws: `not_found`.
    public func status(of id: NotificationID) async throws -> NotificationRecord {
        try await getStatus(id)
    }

    /// Requeues the failed deliveries of `id`.
    /// - Throws: `not_found`, or `nothing_to_retry` when none failed.
    public func retry(_ id: NotificationID) async throws -> NotificationReceipt {
        try await retryNotification(id)
    }

    /// The contact details of a user. - Throws: `unknown_user`.
    public func contactInfo(for userID: UserID) async throws -> ContactInfo {
        try await resolveContact.contactInfo(for: userID)
    }

    /// Inserts or replaces a user in the directory. - Throws: `invalid_value`, `unknown_channel`.
    public func upsertUser(_ profile: UserProfile) async throws {
        try await updateUserProfile(profile)
    }

    /// Runs the workers until the task is cancelled, then finishes or returns in-flight deliveries.
    public func runWorkers() async throws {
        try await worker.run()
    }

    /// Whether the queue answers now (the readiness check): false while Redis is unreachable.
    public func isQueueReachable() async -> Bool {
        (try? await queue.depth()) != nil
    }

    /// The HTTP API over this instance, for Herald's own ``HTTPServer`` or a host framework's routes, with
    /// `http.max_body_bytes` and the access control of `http.api_keys`.
    public func makeAPI(log: any LogSink = SilentLogSink()) -> HeraldAPI {
        HeraldAPI(
            services: HeraldAPI.Services(
                send: sendNotification, status: getStatus, retry: retryNotification, contacts: resolveContact,
                updateUser: updateUserProfile, queue: queue, metrics: metrics, clock: clock),
            maxBodyBytes: configuration.http.maxBodyBytes, access: configuration.http.access.accessControl, log: log)
    }

    /// Closes the queue's connections (Redis); call it after the workers have stopped.
    public func shutdown() {
        backend.redis?.shutdown()
    }
}
