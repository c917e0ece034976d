public import HeraldApplication
public import HeraldDomain
import HeraldChannels
import HeraldHTTP
import HeraldInMemory
import HeraldRedis

extension Herald {
    /// Builds a Herald from `configuration` (the composition root). Cheap: it validates and wires, and opens
    /// no connection; ``run()`` does the start-up checks and the work.
    /// - Parameters:
    ///   - channels: implementations by channel name: for each `"type": "custom"` channel of the configuration
    ///     (required), or to replace a configured channel's built-in implementation (it keeps its contact kind,
    ///     `to` and rate limit). A name the configuration does not have is an error.
    ///   - clock: wall time; tests pass a `ManualClock`.
    ///   - logger: where everything Herald logs goes, the API's request lines included; nothing by default.
    ///   - metrics: told of every accept and delivery as it happens (`/metrics` counts them either way).
    ///   - roles: what ``run()`` runs: the workers (default), the embedded server, or both.
    /// - Throws: `invalid_configuration` naming the JSON path, when the configuration does not validate or a
    ///   channel implementation is missing or names no configured channel.
    public init(
        configuration: HeraldConfiguration = .embeddedDefault,
        channels implementations: [ChannelName: any NotificationChannel] = [:],
        clock: any WallClock = SystemClock(),
        logger: any LogSink = SilentLogSink(),
        metrics sink: any MetricsSink = SilentMetricsSink(),
        roles: Roles = .workers
    ) throws {
        try configuration.validate()
        let registry = try Self.makeChannelRegistry(configuration, implementations: implementations)
        let backend = try QueueBackend.make(configuration: configuration, clock: clock)
        let (queue, store) = (backend.queue, backend.store)
        let directory: any ContactDirectory =
            switch configuration.users {
            case .inline(let profiles):
                if let redis = backend.redis {
                    RedisContactDirectory(client: redis, keyPrefix: configuration.queue.keyPrefix, seed: profiles)
                } else {
                    InMemoryContactDirectory(profiles)
                }
            case .http(let baseURL, let cache, let timeout):
                HTTPContactDirectory(baseURL: baseURL, cacheDuration: cache, transport: HTTPTransport(timeout: timeout))
            }
        let planner = NotificationPlanner(
            resolver: TargetResolver(routes: RoutingTable(routes: configuration.routes), channels: registry.descriptors),
            templates: try configuration.templateCatalog())
        let contacts = ResolveContact(directory: directory)
        let metrics = DeliveryMetrics(sink: sink)
        let deliver = DeliverNotification(
            store: store, queue: queue, channels: registry, contacts: contacts,
            policy: configuration.queue.retryPolicy, clock: clock, log: logger, limiter: backend.limiter,
            metrics: metrics)
        let catalog = ManageCatalog(
            topics: backend.topics, templates: backend.templates, channels: Set(registry.descriptors.keys))
        let sendNotification = SendNotification(
            planner: planner, directory: directory, queue: queue, store: store, idempotency: backend.idempotency,
            clock: clock, metrics: metrics, throttles: configuration.throttleRules, throttleCounter: backend.throttle,
            catalog: catalog, digests: backend.digests)
        let getStatus = GetNotificationStatus(store: store)
        let retryNotification = RetryNotification(store: store, queue: queue)
        let cancelNotification = CancelNotification(queue: queue)
        let updateUserProfile = UpdateUserProfile(directory: directory, channels: registry.descriptors)
        let manageDevices = ManageDevices(directory: directory)
        let listNotifications = ListNotifications(listing: backend.listing)
        let inspectQueue = InspectQueue(
            depth: queue, statistics: backend.statistics, channels: Array(registry.descriptors.keys))
        let manageDeadLetters = ManageDeadLetters(letters: backend.deadLetters, intake: queue, store: store)
        self.configuration = configuration
        self.roles = roles
        self.worker = HeraldWorker(
            queue: queue, deliver: deliver, clock: clock, log: logger,
            configuration: HeraldWorker.Configuration(
                concurrency: configuration.workers.concurrency, lease: configuration.queue.visibilityTimeout,
                shutdownTimeout: configuration.workers.shutdownTimeout))
        self.api = HeraldAPI(
            services: HeraldAPI.Services(
                send: sendNotification, status: getStatus, retry: retryNotification, cancel: cancelNotification,
                contacts: contacts,
                updateUser: updateUserProfile, devices: manageDevices, catalog: catalog, deadLetters: manageDeadLetters,
                list: listNotifications, inspectQueue: inspectQueue, throughput: backend.throughput, queue: queue, metrics: metrics,
                clock: clock),
            maxBodyBytes: configuration.http.maxBodyBytes, access: configuration.http.access.accessControl,
            log: logger)
        self.queue = queue
        self.store = store
        self.directory = directory
        self.channels = registry
        self.metrics = metrics
        self.backend = backend
        self.clock = clock
        self.logger = logger
        self.sendNotification = sendNotification
        self.getStatus = getStatus
        self.retryNotification = retryNotification
        self.cancelNotification = cancelNotification
        self.resolveContact = contacts
        self.updateUserProfile = updateUserProfile
        self.manageDevices = manageDevices
        self.catalog = catalog
        self.manageDeadLetters = manageDeadLetters
        self.listNotifications = listNotifications
        self.inspectQueue = inspectQueue
        self.lifecycle = RunLifecycle()
    }

    private static func makeChannelRegistry(
        _ configuration: HeraldConfiguration, implementations: [ChannelName: any NotificationChannel]
    ) throws(HeraldError) -> ChannelRegistry {
        let configured = configuration.channels.keys.map(\.rawValue)
        for name in implementations.keys.sorted(by: { $0.rawValue < $1.rawValue })
        where configuration.channels[name] == nil {
            throw HeraldError(
                .invalidConfiguration,
                "channels.\(name): an implementation was given for a channel the configuration does not have"
                    + Suggestion.hint(for: name.rawValue, among: configured)
                    + "; add it to channels with \"type\": \"custom\"",
                field: "channels.\(name)")
        }
        var registry = ChannelRegistry()
        for (name, settings) in configuration.channels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let built: (any NotificationChannel)?
            do {
                built = try implementations[name] ?? ChannelFactory.makeChannel(settings)
            } catch {
                throw HeraldError(.invalidConfiguration, "channels.\(name): \(error)", field: "channels.\(name)")
            }
            guard let channel = built else {
                throw HeraldError(
                    .invalidConfiguration,
                    "channels.\(name): a \"custom\" channel needs its implementation: "
                        + "Herald(configuration:channels: [\"\(name)\": yourChannel])",
                    field: "channels.\(name)")
            }
            registry.register(
                ChannelRegistration(
                    name, channel: channel, contactKind: settings.contactKind, defaultRecipients: settings.to,
                    rateLimit: settings.rateLimit))
        }
        return registry
    }
}
