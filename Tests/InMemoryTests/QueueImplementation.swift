import Testing
import HeraldApplication
import HeraldDomain
import HeraldTesting

/// A queue under test with the store it writes records to; the contract suite runs against each.
struct QueueUnderTest {
    let queue: any DeliveryQueue
    let store: any NotificationStore
    let idempotency: any IdempotencyStore
}

/// The queue implementations the contract suite covers; the Redis queue joins this list.
enum QueueImplementation: String, CaseIterable, CustomTestStringConvertible {
    case memory

    var testDescription: String { rawValue }

    func make(clock: ManualClock, maxRecoveries: Int = 3, deadLetterLimit: Int = 10_000) -> QueueUnderTest {
        switch self {
        case .memory:
            let store = InMemoryNotificationStore(clock: clock)
            let idempotency = InMemoryIdempotencyStore(clock: clock)
            let queue = InMemoryDeliveryQueue(
                store: store, idempotency: idempotency, clock: clock,
                configuration: InMemoryDeliveryQueue.Configuration(
                    maxRecoveries: maxRecoveries, deadLetterLimit: deadLetterLimit,
                    deadLetterMaxAge: .seconds(7 * 24 * 3600)))
            return QueueUnderTest(queue: queue, store: store, idempotency: idempotency)
        }
    }
}
