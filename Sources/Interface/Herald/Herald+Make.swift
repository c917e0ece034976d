public import HeraldApplication
public import HeraldDomain
import HeraldChannels
import HeraldInMemory

extension Herald {
    /// Builds a Herald from `configuration`: the composition root.
    /// - Parameters:
    ///   - channels: implementations to use instead of the configured ones of the same name (which keep
    ///     their contact kind and `to`), or besides them under new names.
    ///   - clock: wall time; tests pass a `ManualClock`.
    ///   - log: where Herald logs; nothing is logged unless a sink is given.
    /// - Throws: `invalid_configuration` when the configuration does not validate.
    public static func make(
        configuration: HeraldConfiguration = .embeddedDefault,
        channels overrides: [ChannelName: any NotificationChannel] = [:],
        clock: any WallClock = SystemClock(),
        log: any LogSink = SilentLogSink()
    ) async throws -> Herald {
        try configuration.validate()
        let backend = try await QueueBackend.make(configuration: configuration, clock: clock, log: log)
        let (queue, store, idempotency) = (backend.queue, backend.store, backend.idempotency)
        let directory: any ContactDirectory =
            switch configuration.users {
            case .inline(let profiles): InMemoryContactDirectory(profiles)
            case .http(let baseURL, let cache, let timeout):
                HTTPContactDirectory(baseURL: baseURL, cacheDuration: cache, transport: HTTPTransport(timeout: timeout))
            }
        let registry = makeChannelRegistry(configuration, overrides: overrides)
        let planner = NotificationPlanner(
            resolver: TargetResolver(routes: RoutingTable(configuration.routes), channels: registry.descriptors),
            templates: try configuration.templateCatalog())
        let contacts = ResolveContact(directory: directory)
        let metrics = DeliveryMetrics()
        let deliver = DeliverNotification(
            store: store, queue: queue, channels: registry, contacts: contacts,
            policy: configuration.queue.retryPolicy, clock: clock, log: log, limiter: backend.limiter, metrics: metrics)
        let worker = HeraldWorker(
            queue: queue, deliver: deliver, clock: clock, log: log,
            configuration: HeraldWorker.Configuration(
                concurrency: configuration.workers.concurrency, lease: configuration.queue.visibilityTimeout,
                shutdownTimeout: configuration.workers.shutdownTimeout))
        return Herald(
            configuration: configuration, queue: queue, store: store, directory: directory, channels: registry,
            worker: worker, metrics: metrics, backend: backend, clock: clock,
            sendNotification: SendNotification(
                planner: planner, directory: directory, queue: queue, store: store, idempotency: idempotency,
                clock: clock, metrics: metrics),
            getStatus: GetNotificationStatus(store: store),
            retryNotification: RetryNotification(store: store, queue: queue),
            resolveContact: contacts,
            updateUserProfile: UpdateUserProfile(directory: directory, channels: registry.descriptors))
    }

    private static func makeChannelRegistry(
        _ configuration: HeraldConfiguration, overrides: [ChannelName: any NotificationChannel]
    ) -> ChannelRegistry {
        var registry = ChannelRegistry()
        for (name, settings) in configuration.channels {
            let channel = overrides[name] ?? ChannelFactory.makeChannel(settings)
            registry.register(
                ChannelRegistration(
                    name, channel: channel, contactKind: settings.contactKind, defaultRecipients: settings.to,
                    rateLimit: settings.rateLimit))
        }
        for (name, channel) in overrides where configuration.channels[name] == nil {
            registry.register(ChannelRegistration(name, channel: channel))
        }
        return registry
    }
}
