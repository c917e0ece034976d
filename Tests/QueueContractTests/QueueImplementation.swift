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
}

/// The queue implementations the contract suite covers: one suite, every implementation.
enum QueueImplementation: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case redis

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
        }
    }
}
