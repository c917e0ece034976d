import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting

/// The application layer wired by hand on in-memory adapters, a manual clock and test channels,
/// the way a host that composes Herald itself would.
struct TestSystem {
    let clock: ManualClock
    let store: InMemoryNotificationStore
    let idempotency: InMemoryIdempotencyStore
    let queue: InMemoryDeliveryQueue
    let directory: InMemoryContactDirectory
    let send: SendNotification
    let status: GetNotificationStatus
    let retry: RetryNotification
    let worker: HeraldWorker

    static let ana = UserProfile(
        id: "123", contact: Contact(email: "ana@example.com", sms: "+15550002222"),
        preferences: UserPreferences(preferredChannel: "email", mutedTopics: ["pricing"]))

    /// - Parameters:
    ///   - channels: the implementations behind `slack`, `email` (needs an email address) and `sms`.
    init(
        slack: any NotificationChannel = RecordingChannel(),
        email: any NotificationChannel = RecordingChannel(),
        sms: any NotificationChannel = RecordingChannel(),
        policy: RetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: .seconds(1), maxBackoff: .seconds(8)),
        worker workerConfiguration: HeraldWorker.Configuration = HeraldWorker.Configuration(lease: .seconds(30)),
        queue queueConfiguration: InMemoryDeliveryQueue.Configuration = InMemoryDeliveryQueue.Configuration(),
        slackRateLimit: RateLimit? = nil,
        clock: ManualClock = ManualClock(),
        limiter: (any RateLimiter)? = nil,
        log: any LogSink = SilentLogSink()
    ) {
        self.clock = clock
        store = InMemoryNotificationStore(clock: clock)
        idempotency = InMemoryIdempotencyStore(clock: clock)
        queue = InMemoryDeliveryQueue(store: store, idempotency: idempotency, clock: clock, configuration: queueConfiguration)
        directory = InMemoryContactDirectory([Self.ana])
        let registry = ChannelRegistry([
            ChannelRegistration("slack", channel: slack, rateLimit: slackRateLimit),
            ChannelRegistration("email", channel: email, contactKind: .email),
            ChannelRegistration("sms", channel: sms, contactKind: .sms, defaultRecipients: ["+15550009999"]),
        ])
        let planner = NotificationPlanner(
            resolver: TargetResolver(
                routes: RoutingTable(["sales": ["slack"], "pricing": ["email"], "purchase": ["slack", "email", "sms"]]),
                channels: registry.descriptors),
            templates: TemplateCatalog())
        send = SendNotification(
            planner: planner, directory: directory, queue: queue, store: store, idempotency: idempotency, clock: clock)
        status = GetNotificationStatus(store: store)
        retry = RetryNotification(store: store, queue: queue)
        let deliver = DeliverNotification(
            store: store, queue: queue, channels: registry, contacts: ResolveContact(directory: directory),
            policy: policy, clock: clock, log: log, limiter: limiter ?? InMemoryRateLimiter(clock: clock))
        worker = HeraldWorker(queue: queue, deliver: deliver, clock: clock, log: log, configuration: workerConfiguration)
    }
}
