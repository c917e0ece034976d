import HeraldApplication
import HeraldInMemory
import HeraldRedis

/// The queue, store and idempotency store the configuration asks for, built together because the
/// queue writes all three atomically.
struct QueueBackend: Sendable {
    let queue: any DeliveryQueue
    /// Where requests join open digests (the queue itself).
    let digests: any DigestIntake
    /// Dead letters for operators (the queue itself).
    let deadLetters: any DeadLetterAdministration
    /// Per-channel and per-worker counts for operators (the queue itself).
    let statistics: any QueueStatisticsSource
    /// Per-minute counts for the dashboard (the queue itself).
    let throughput: any ThroughputSource
    let store: any NotificationStore
    /// Lists of notifications: the store itself.
    let listing: any NotificationListing
    let idempotency: any IdempotencyStore
    /// Enforces channels' rate limits: in memory, or in Redis across processes.
    let limiter: any RateLimiter
    /// Counts throttled notifications per user: in memory, or in Redis across processes.
    let throttle: any ThrottleCounter
    /// The topics and templates managed at run time: in memory, or in Redis shared by every process.
    let topics: any TopicStore
    let templates: any TemplateStore
    /// The Redis client of the deployment's own tag (users, topics, templates, limits), when the queue is on Redis.
    let redis: RedisClient?
    /// On a cluster with `queue.partitions`, the clients routed to each partition's slot (besides ``redis``).
    var partitionClients: [RedisClient] = []
    /// The start-up check that every process uses the same `queue.partitions` (on Redis).
    var layout: RedisPartitionLayout?

    /// Closes every Redis connection.
    func shutdown() {
        redis?.shutdown()
        for client in partitionClients { client.shutdown() }
    }

    /// Builds the backend without I/O: the Redis client connects on first use.
    static func make(configuration: HeraldConfiguration, clock: any WallClock) throws -> QueueBackend {
        let settings = configuration.queue
        let templateSeed = configuration.templates
        switch settings.kind {
        case .memory:
            let store = InMemoryNotificationStore(
                clock: clock, retention: settings.recordRetention, maxRecords: settings.memoryMaxRecords)
            let idempotency = InMemoryIdempotencyStore(clock: clock, maxEntries: settings.memoryMaxRecords)
            let queue = InMemoryDeliveryQueue(
                store: store, idempotency: idempotency, clock: clock,
                configuration: InMemoryDeliveryQueue.Configuration(
                    deadLetterLimit: settings.deadLetterMaxCount, deadLetterMaxAge: settings.deadLetterMaxAge))
            let catalog = InMemoryCatalog(routes: configuration.routes, templates: templateSeed)
            return QueueBackend(
                queue: queue, digests: queue, deadLetters: queue, statistics: queue, throughput: queue, store: store, listing: store, idempotency: idempotency,
                limiter: InMemoryRateLimiter(clock: clock),
                throttle: InMemoryThrottleCounter(clock: clock), topics: catalog, templates: catalog, redis: nil)
        case .redis:
            var connection = try configuration.redisConfiguration()
            connection.poolSize = 2
            // On a cluster the keys under the deployment's `{prefix}` tag go to that slot's owner (with partitions, each
            // partition's client goes to its own).
            connection.clusterRoutingKey = "{\(settings.keyPrefix)}"
            let client = RedisClient(configuration: connection)
            var queueConfiguration = RedisDeliveryQueue.Configuration(
                keyPrefix: settings.keyPrefix, retention: settings.recordRetention,
                deadLetterLimit: settings.deadLetterMaxCount, deadLetterMaxAge: settings.deadLetterMaxAge,
                batch: configuration.workers.effectiveBatch)
            queueConfiguration.minReplicasAck = settings.minReplicasAck
            queueConfiguration.replicaAckTimeout = settings.replicaAckTimeout
            let map = RedisPartitionMap(prefix: settings.keyPrefix, count: settings.partitions)
            let queue: any DeliveryQueue & DigestIntake & DeadLetterAdministration & QueueStatisticsSource & ThroughputSource
            let store: any NotificationStore & NotificationListing
            let idempotency: any IdempotencyStore
            var partitionClients: [RedisClient] = []
            if map.count == 1 {
                queue = RedisDeliveryQueue(client: client, clock: clock, configuration: queueConfiguration)
                store = RedisNotificationStore(client: client, keyPrefix: settings.keyPrefix)
                idempotency = RedisIdempotencyStore(client: client, keyPrefix: settings.keyPrefix)
            } else {
                // One server serves every partition over the same connections; a cluster needs a client per
                // partition, routed to the master of that partition's slot.
                if !connection.clusterSeeds.isEmpty {
                    partitionClients = (0..<map.count).map { index in
                        var routed = connection
                        routed.poolSize = 1
                        // A worker's waiting reserves turn over the partitions: each keeps about its share idle.
                        routed.idleBlockingLimit = max(4, 2 * configuration.workers.concurrency / map.count + 1)
                        routed.clusterRoutingKey = "{\(map.prefix(of: index))}"
                        return RedisClient(configuration: routed)
                    }
                }
                let partitioned = PartitionedRedisQueue(
                    map: map, clients: partitionClients.isEmpty ? Array(repeating: client, count: map.count) : partitionClients,
                    clock: clock, configuration: queueConfiguration)
                (queue, store, idempotency) = (partitioned, partitioned, partitioned)
            }
            // What every notification shares stays under the deployment's own tag, on the client of that slot.
            var backend = QueueBackend(
                queue: queue, digests: queue, deadLetters: queue, statistics: queue, throughput: queue, store: store,
                listing: store, idempotency: idempotency,
                limiter: RedisRateLimiter(client: client, keyPrefix: settings.keyPrefix),
                throttle: RedisThrottleCounter(client: client, keyPrefix: settings.keyPrefix),
                topics: RedisTopicStore(client: client, keyPrefix: settings.keyPrefix, seed: configuration.routes),
                templates: RedisTemplateStore(client: client, keyPrefix: settings.keyPrefix, seed: templateSeed),
                redis: client)
            backend.partitionClients = partitionClients
            backend.layout = RedisPartitionLayout(client: client, map: map)
            return backend
        }
    }
}
