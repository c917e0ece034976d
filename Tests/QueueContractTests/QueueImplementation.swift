import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

/// A queue under test with the store it writes records to; the contract suite runs against each.
struct QueueUnderTest {
    let queue: any DeliveryQueue
    let store: any NotificationStore
    let idempotency: any IdempotencyStore
    /// Keeps the Redis server (if any) alive for the test; it is stopped by PID when released.
    let server: RedisServer?
    /// A client of that server, for checks the port does not offer (key expiries).
    let redis: RedisClient?
    /// The Redis key of a notification's record.
    var recordKey: @Sendable (String) -> String = { "{herald}:n:\($0)" }
}

/// The queue implementations the contract suite covers: one suite, every implementation.
enum QueueImplementation: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case redis
    /// The Redis queue spread over 4 partitions on one server.
    case partitioned

    /// The queues in one piece. A partitioned queue differs where `docs/operations.md` says it does, and
    /// `PartitionedQueueTests` proves what holds instead: a claimant's id must be placed with its key
    /// (`newNotificationID(placedWith:)`), the dead-letter bound is per partition, a scan budget is per
    /// partition, and a unit held beside a crashing one in another partition counts one recovery.
    static let unpartitioned: [QueueImplementation] = [.memory, .redis]

    var testDescription: String { rawValue }

    func make(
        clock: any WallClock, maxRecoveries: Int = 3, deadLetterLimit: Int = 10_000,
        retention: Duration = .seconds(7 * 24 * 3600)
    ) throws -> QueueUnderTest {
        switch self {
        case .memory:
            let store = InMemoryNotificationStore(clock: clock, retention: retention)
            let idempotency = InMemoryIdempotencyStore(clock: clock)
            let queue = InMemoryDeliveryQueue(
                store: store, idempotency: idempotency, clock: clock,
                configuration: InMemoryDeliveryQueue.Configuration(
                    maxRecoveries: maxRecoveries, deadLetterLimit: deadLetterLimit,
                    deadLetterMaxAge: .seconds(7 * 24 * 3600)))
            return QueueUnderTest(queue: queue, store: store, idempotency: idempotency, server: nil, redis: nil)
        case .redis:
            let server = try RedisServer()
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
            let queue = RedisDeliveryQueue(
                client: client, clock: clock,
                configuration: RedisDeliveryQueue.Configuration(
                    retention: retention, maxRecoveries: maxRecoveries, deadLetterLimit: deadLetterLimit,
                    maxBlockingWait: .milliseconds(200)),
                serverTimeOverride: { clock.now })
            return QueueUnderTest(
                queue: queue, store: RedisNotificationStore(client: client), idempotency: RedisIdempotencyStore(client: client),
                server: server, redis: client)
        case .partitioned:
            let server = try RedisServer()
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
            let map = RedisPartitionMap(prefix: "herald", count: 4)
            let queue = PartitionedRedisQueue(
                map: map, clients: Array(repeating: client, count: 4), clock: clock,
                configuration: RedisDeliveryQueue.Configuration(
                    retention: retention, maxRecoveries: maxRecoveries, deadLetterLimit: deadLetterLimit,
                    maxBlockingWait: .milliseconds(200)),
                blockingSlice: .milliseconds(100), serverTimeOverride: { clock.now })
            return QueueUnderTest(
                queue: queue, store: queue, idempotency: queue, server: server, redis: client,
                recordKey: { "{\(map.prefix(of: map.partition(ofKey: $0)))}:n:\($0)" })
        }
    }
}
