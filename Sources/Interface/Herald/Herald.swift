import HeraldRedis
public import HeraldApplication
public import HeraldDomain
public import HeraldHTTP

/// Herald in a process: accepts notifications, answers status questions and, in ``run()``, runs the
/// workers (and, with the ``Roles/server`` role, the embedded HTTP server).
///
/// ```swift
/// let herald = try Herald(configuration: .embeddedDefault, logger: StandardErrorLogSink())
/// async let running: Void = herald.run()          // workers deliver until stop() or cancellation
/// let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
/// let record = try await herald.settled(receipt.id) // every delivery sent, failed or skipped
/// herald.stop()
/// try await running
/// ```
/// Creating one is cheap and does no I/O; ``run()`` does the start-up checks and the work, once.
public struct Herald: Sendable {
    /// The configuration this instance was built from.
    public let configuration: HeraldConfiguration
    /// What ``run()`` runs.
    public let roles: Roles
    /// The worker that delivers queued units (``run()`` runs it; tests drain it with `HeraldTesting`).
    public let worker: HeraldWorker
    /// The HTTP API over this instance, for a host framework's routes (`HeraldHummingbird`, `HeraldVapor`) or
    /// the embedded server; it logs to the logger this instance was given.
    public let api: HeraldAPI

    package let queue: any DeliveryQueue
    package let store: any NotificationStore
    package let directory: any ContactDirectory
    package let channels: ChannelRegistry
    package let metrics: DeliveryMetrics
    let backend: QueueBackend
    let clock: any WallClock
    let logger: any LogSink
    let sendNotification: SendNotification
    let getStatus: GetNotificationStatus
    let retryNotification: RetryNotification
    let cancelNotification: CancelNotification
    let resolveContact: ResolveContact
    let updateUserProfile: UpdateUserProfile
    let manageDevices: ManageDevices
    let catalog: ManageCatalog
    let manageDeadLetters: ManageDeadLetters
    let listNotifications: ListNotifications
    let inspectQueue: InspectQueue
    let lifecycle: RunLifecycle

    /// Accepts a notification; returns once it is persisted and its deliveries are queued.
    /// - Throws: ``HeraldError`` with a validation code (nothing was accepted) or `queue_unavailable`.
    public func send(_ request: NotificationRequest, idempotencyKey: String? = nil) async throws
        -> NotificationReceipt
    {
        try await sendNotification(request, idempotencyKey: idempotencyKey)
    }

    /// A page of notifications, newest first, filtered; pass the page's `nextCursor` for the next.
    /// - Throws: `invalid_value` (limit 1 to 200, since after until, a foreign cursor), `queue_unavailable`.
    public func notifications(matching filter: NotificationFilter = NotificationFilter(), limit: Int = 50, after cursor: String? = nil)
        async throws -> NotificationPage
    {
        try await listNotifications(filter, limit: limit, after: cursor)
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

    /// Cancels every delivery of `id` not sent yet; a delivery in flight ends as what it really was.
    /// - Throws: `not_found`, or `nothing_to_cancel` when every delivery is already sent, failed or skipped.
    @discardableResult
    public func cancel(_ id: NotificationID) async throws -> NotificationRecord {
        try await cancelNotification(id)
    }

    /// The contact details of a user. - Throws: `unknown_user`.
    public func contactInfo(for userID: UserID) async throws -> ContactInfo {
        try await resolveContact.contactInfo(for: userID)
    }

    /// Inserts or replaces a user in the directory. - Throws: `invalid_value`, `unknown_channel`.
    public func upsertUser(_ profile: UserProfile) async throws {
        try await updateUserProfile(profile)
    }

    /// Registers a push device with a user; the user afterwards.
    /// - Throws: `unknown_user`, `invalid_value` (a token not of its platform's form, or past 1000 devices),
    ///   `not_supported` for a remote user service.
    @discardableResult
    public func registerDevice(_ device: Device, for userID: UserID) async throws -> UserProfile {
        try await manageDevices.register(device, for: userID)
    }

    /// Removes a push device from a user (no error when the user did not have it).
    /// - Throws: `unknown_user`, `not_supported` for a remote user service.
    public func removeDevice(token: String, from userID: UserID) async throws {
        try await manageDevices.unregister(token: token, for: userID)
    }

    /// The queue per channel (ready, scheduled, in flight, dead, oldest ready) and its live workers, with the
    /// exact totals. - Throws: `queue_unavailable`.
    public func queueStatistics() async throws -> (depth: QueueDepth, statistics: QueueStatistics) {
        try await inspectQueue()
    }

    /// Counts of ready, in-flight, scheduled and dead units. - Throws: `queue_unavailable`.
    public func queueDepth() async throws -> QueueDepth {
        do {
            return try await queue.depth()
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(.queueUnavailable, "the queue is unreachable")
        }
    }

    /// Whether the queue answers now (the readiness check): false while Redis is unreachable.
    public func isQueueReachable() async -> Bool {
        (try? await queue.depth()) != nil
    }

    /// Asks ``run()`` to stop gracefully: it stops taking work, lets in-flight deliveries and requests finish
    /// (or returns them to the queue after `workers.shutdown_timeout_s`), closes its connections and returns.
    /// Safe to call from anywhere, more than once, and before ``run()`` (which then returns at once).
    public func stop() {
        lifecycle.stopRequested.fire()
    }

    /// Closes the queue's connections, for an instance that was used without ``run()`` (a command that only
    /// sends or reads status); ``run()`` closes them itself when it returns.
    public func shutdown() {
        backend.shutdown()
    }
}
