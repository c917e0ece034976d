public import Foundation
public import HeraldDomain

/// Everything that configures a Herald instance: the value tree behind `herald.json`.
///
/// Every field has a default; ``embeddedDefault`` is what runs with no file at all. Build one in code,
/// or decode one with ``load(path:environment:)``; either way ``validate()`` checks cross-references.
public struct HeraldConfiguration: Hashable, Sendable {
    /// The HTTP API.
    public var http: HTTPSettings
    /// Where accepted notifications wait, and how deliveries are retried.
    public var queue: QueueSettings
    /// The in-process workers.
    public var workers: WorkerSettings
    /// The channels, by the user's own names.
    public var channels: [ChannelName: ChannelSettings]
    /// How each topic is delivered: its channels or fallback chain, throttle and digest; the initial set of the
    /// topics managed at runtime (`/v1/topics`).
    public var routes: [Topic: Route]
    /// The user service.
    public var users: UserDirectorySettings
    /// Message templates by name.
    public var templates: [TemplateName: TemplateSettings]

    public init(
        http: HTTPSettings = HTTPSettings(),
        queue: QueueSettings = QueueSettings(),
        workers: WorkerSettings = WorkerSettings(),
        channels: [ChannelName: ChannelSettings] = [:],
        routes: [Topic: Route] = [:],
        users: UserDirectorySettings = .inline([]),
        templates: [TemplateName: TemplateSettings] = [:]
    ) {
        self.http = http
        self.queue = queue
        self.workers = workers
        self.channels = channels
        self.routes = routes
        self.users = users
        self.templates = templates
    }
}

// MARK: - Sections

extension HeraldConfiguration {
    /// The HTTP API's listening address and limits.
    public struct HTTPSettings: Hashable, Sendable {
        /// The address to bind (`127.0.0.1` by default; `0.0.0.0` for every interface).
        public var host: String
        /// The TCP port.
        public var port: Int
        /// The largest accepted request body, inclusive.
        public var maxBodyBytes: Int
        /// API keys and who may call what.
        public var access: AccessSettings
        /// Connections served at once (`max_connections`); over it the oldest idle one is closed first.
        public var maxConnections = 10_000
        /// How long a keep-alive connection may wait for its next request (`idle_timeout_s`).
        public var idleTimeout: Duration = .seconds(60)
        /// How long a new connection may wait before its first byte (`first_byte_timeout_s`).
        public var firstByteTimeout: Duration = .seconds(5)
        /// How long a request's head may take once its first byte arrived (`header_timeout_s`).
        public var headerTimeout: Duration = .seconds(10)
        /// How long a request's body may take (`body_timeout_s`).
        public var bodyTimeout: Duration = .seconds(30)

        public init(
            host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 65536,
            access: AccessSettings = AccessSettings()
        ) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.access = access
        }
    }

    /// Where the queue lives.
    public enum QueueKind: String, Hashable, Sendable {
        /// In this process's memory: the embedded default; what is queued ends with the process.
        case memory
        /// A Redis list shared by every process.
        case redis
    }

    /// The queue and the retry policy.
    public struct QueueSettings: Hashable, Sendable {
        public var kind: QueueKind
        /// `redis://[user:password@]host:port/db`, or `redis+sentinel://[user:password@]host:port,host:port/master/db`
        /// (the master found through the sentinels and followed on failover); a secret because it may carry a password.
        public var redisURL: Secret?
        /// The prefix of every Redis key.
        public var keyPrefix: String
        /// Attempts per delivery, the first included.
        public var maxAttempts: Int
        /// The first retry's backoff ceiling.
        public var initialBackoff: Duration
        /// The largest backoff ceiling.
        public var maxBackoff: Duration
        /// How long a reserved delivery stays invisible before another worker may take it.
        public var visibilityTimeout: Duration
        /// How long a finished notification record (and so its status) is kept after its last change;
        /// unfinished records are kept as long as their work.
        public var recordRetention: Duration
        /// The most notification records (and idempotency keys) the memory queue holds; at the bound the oldest
        /// finished record is evicted, and when all are unfinished new requests get `503 queue_full`.
        public var memoryMaxRecords: Int
        /// The dead-letter list keeps at most this many entries, oldest dropped first.
        public var deadLetterMaxCount: Int
        /// Dead letters older than this are dropped.
        public var deadLetterMaxAge: Duration
        /// On Redis, how many replicas must hold an accept (`WAIT`) before it is answered `202`; 0 (the default)
        /// does not wait. An accept they do not confirm within ``replicaAckTimeout`` is `503 queue_unavailable`.
        public var minReplicasAck = 0
        /// How long an accept waits for ``minReplicasAck`` replicas.
        public var replicaAckTimeout: Duration = .seconds(1)
        /// On Redis, how many partitions the queue is spread over (each under its own hash tag, so a Redis Cluster
        /// spreads them over its masters); 1 (the default) keeps every key under one tag. Every process of a
        /// deployment must use the same count: a process started with another one is refused.
        public var partitions = 1

        /// The Redis URL used when `kind` is `redis` and none is given.
        public static let defaultRedisURL = "redis://127.0.0.1:6379/0"

        public init(
            kind: QueueKind = .memory, redisURL: Secret? = nil, keyPrefix: String = "herald", maxAttempts: Int = 5,
            initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(60),
            visibilityTimeout: Duration = .seconds(60), recordRetention: Duration = .seconds(7 * 24 * 3600),
            deadLetterMaxCount: Int = 10_000, deadLetterMaxAge: Duration = .seconds(7 * 24 * 3600),
            memoryMaxRecords: Int = 100_000
        ) {
            self.memoryMaxRecords = memoryMaxRecords
            self.kind = kind
            self.redisURL = redisURL
            self.keyPrefix = keyPrefix
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.visibilityTimeout = visibilityTimeout
            self.recordRetention = recordRetention
            self.deadLetterMaxCount = deadLetterMaxCount
            self.deadLetterMaxAge = deadLetterMaxAge
        }

        /// The retry policy these settings describe.
        public var retryPolicy: RetryPolicy {
            RetryPolicy(maxAttempts: maxAttempts, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
        }
    }

    /// The in-process workers.
    public struct WorkerSettings: Hashable, Sendable {
        /// Deliveries in flight at once.
        public var concurrency: Int
        /// How long in-flight deliveries may finish after a stop signal.
        public var shutdownTimeout: Duration
        /// The most units one Redis reserve script takes, and the most settles one settle script carries
        /// (concurrent delivery loops share them); nil sizes it to ``concurrency``.
        public var batch: Int?

        public init(concurrency: Int = 8, shutdownTimeout: Duration = .seconds(8), batch: Int? = nil) {
            self.concurrency = concurrency
            self.shutdownTimeout = shutdownTimeout
            self.batch = batch
        }

        /// The batch in effect: ``batch``, or ``concurrency`` when it is not set.
        public var effectiveBatch: Int { batch ?? concurrency }
    }

    /// One configured channel.
    public struct ChannelSettings: Hashable, Sendable {
        /// The implementation and its options.
        public enum Kind: Hashable, Sendable {
            /// Prints one line per delivery on standard output.
            case console
            /// A Slack incoming webhook; its URL is a secret.
            case slack(webhookURL: Secret)
            /// An SMTP server (a local relay: Herald speaks SMTP without TLS).
            case smtp(SMTPSettings)
            /// SendGrid's v3 mail API.
            case sendgrid(apiKey: Secret, from: String, baseURL: URL)
            /// Twilio's Messages API.
            case twilio(accountSID: String, authToken: Secret, from: String, baseURL: URL)
            /// An HTTP endpoint receiving signed JSON (Standard Webhooks); the URL may hold a secret.
            case webhook(url: Secret, secret: Secret?)
            /// Apple Push Notification service (HTTP/2, an ES256 provider token).
            case apns(APNSSettings)
            /// Firebase Cloud Messaging's HTTP v1 API (an OAuth 2.0 access token from a service account).
            case fcm(FCMSettings)
            /// A channel the host implements: its `NotificationChannel` is passed to `Herald`'s initializer
            /// under this channel's name (`"type": "custom"` in `herald.json`).
            case custom
        }

        /// The APNs channel's options (contract §10).
        public struct APNSSettings: Hashable, Sendable {
            /// Which APNs servers to use.
            public enum Environment: String, Hashable, Sendable, CaseIterable {
                case production, sandbox
            }

            public var teamID: String
            public var keyID: String
            /// The `.p8` file's PEM text.
            public var privateKey: Secret
            /// The app's bundle id (`apns-topic`).
            public var topic: String
            public var environment: Environment
            /// Overrides the environment's servers (a test server).
            public var baseURL: URL?
            /// How long APNs keeps trying to reach an offline device (`apns-expiration`).
            public var expiration: Duration

            public init(
                teamID: String, keyID: String, privateKey: Secret, topic: String, environment: Environment = .production,
                baseURL: URL? = nil, expiration: Duration = .seconds(86_400)
            ) {
                self.teamID = teamID
                self.keyID = keyID
                self.privateKey = privateKey
                self.topic = topic
                self.environment = environment
                self.baseURL = baseURL
                self.expiration = expiration
            }
        }

        /// The FCM channel's options (contract §10).
        public struct FCMSettings: Hashable, Sendable {
            /// The service-account JSON key file's text.
            public var serviceAccount: Secret
            /// Overrides the service account's `project_id`.
            public var projectID: String?
            /// Overrides `https://fcm.googleapis.com` (a test server).
            public var baseURL: URL?
            /// Overrides the service account's `token_uri`.
            public var tokenURL: URL?

            public init(serviceAccount: Secret, projectID: String? = nil, baseURL: URL? = nil, tokenURL: URL? = nil) {
                self.serviceAccount = serviceAccount
                self.projectID = projectID
                self.baseURL = baseURL
                self.tokenURL = tokenURL
            }
        }

        /// The SMTP channel's options.
        public struct SMTPSettings: Hashable, Sendable {
            public var host: String
            public var port: Int
            public var from: String
            public var heloName: String
            public var username: String?
            public var password: Secret?
            public var allowInsecureAuth: Bool

            public init(
                host: String, port: Int = 25, from: String, heloName: String = "localhost", username: String? = nil,
                password: Secret? = nil, allowInsecureAuth: Bool = false
            ) {
                self.host = host
                self.port = port
                self.from = from
                self.heloName = heloName
                self.username = username
                self.password = password
                self.allowInsecureAuth = allowInsecureAuth
            }
        }

        public var kind: Kind
        /// Which user address the channel needs (email, SMS), or nil for a fixed destination.
        public var contactKind: ContactKind?
        /// Addresses used when the user has none (the contract's `to`).
        public var to: [String]
        /// The channel's send rate, shared by every worker (on Redis, by every process).
        public var rateLimit: RateLimit?
        /// At most this many notifications per user through the channel within a window (`throttle`).
        public var throttle: Throttle?
        /// How long one provider request (or SMTP conversation) may take.
        public var timeout: Duration

        /// - Parameter contactKind: defaults to what the kind needs (email for smtp and sendgrid, sms for
        ///   twilio, none for the others); the console channel may stand in for either.
        public init(
            kind: Kind, contactKind: ContactKind? = nil, to: [String] = [], rateLimit: RateLimit? = nil,
            timeout: Duration = .seconds(10)
        ) {
            self.kind = kind
            self.contactKind = contactKind ?? kind.defaultContactKind
            self.to = to
            self.rateLimit = rateLimit
            self.timeout = timeout
        }

        /// The `type` string of this kind in `herald.json`.
        public var typeName: String { kind.typeName }
    }

    /// Where user contacts and preferences come from.
    public enum UserDirectorySettings: Hashable, Sendable {
        /// A fixed list, held in memory and editable with `PUT /v1/users/{id}`.
        case inline([UserProfile])
        /// A remote user service answering `GET {base_url}/users/{id}/contact-info`; read-only.
        case http(baseURL: URL, cache: Duration, timeout: Duration)
    }

    /// A template's source text: subject, body and per-channel variants.
    public typealias TemplateSettings = TemplateDefinition
}

extension HeraldConfiguration {
    /// The per-user throttles of routes and channels, as ``SendNotification`` applies them.
    public var throttleRules: ThrottleRules {
        ThrottleRules(routes: routes.compactMapValues(\.throttle), channels: channels.compactMapValues(\.throttle))
    }
}
