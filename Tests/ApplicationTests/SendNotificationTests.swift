import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

@Suite struct SendNotificationTests {
    @Test func acceptedNotificationIsPersistedWithItsDeliveriesQueued() async throws {
        let system = TestSystem()
        let receipt = try await system.send(NotificationRequest(topic: "purchase", message: "Thanks", userID: "123"))
        #expect(receipt.status == .pending)
        #expect(receipt.deliveries.map(\.status) == [.queued, .queued, .queued])
        let record = try await system.status(receipt.id)
        #expect(record.deliveries.map(\.channel) == ["slack", "email", "sms"])
        #expect(record.createdAt == system.clock.now)
        #expect(try await system.queue.depth().ready == 3)
    }

    @Test func mutedDeliveriesAreRecordedAsSkippedAndNotQueued() async throws {
        let system = TestSystem()
        let receipt = try await system.send(NotificationRequest(topic: "pricing", message: "New prices", userID: "123"))
        #expect(receipt.deliveries == [NotificationReceipt.Delivery(channel: "email", status: .skipped)])
        #expect(try await system.queue.depth().ready == 0)
        #expect(try await system.status(receipt.id).status == .sent)
    }

    @Test func unknownUserIsRejectedAndNothingIsWritten() async throws {
        let system = TestSystem()
        await #expect(throws: HeraldError(.unknownUser, "", field: "user_id")) {
            try await system.send(NotificationRequest(message: "m", userID: "nobody"))
        }
        #expect(system.store.count == 0)
        #expect(try await system.queue.depth() == QueueDepth())
    }

    @Test func sameIdempotencyKeyAndBodyReturnTheOriginalReceiptAndQueueOnce() async throws {
        let system = TestSystem()
        let request = NotificationRequest(topic: "sales", message: "Customer needs help")
        let first = try await system.send(request, idempotencyKey: "k-1")
        let repeated = try await system.send(request, idempotencyKey: "k-1")
        #expect(repeated == first)
        #expect(system.store.count == 1)
        #expect(try await system.queue.depth().ready == 1)
    }

    @Test func sameIdempotencyKeyWithAnotherBodyIsRejected() async throws {
        let system = TestSystem()
        _ = try await system.send(NotificationRequest(topic: "sales", message: "one"), idempotencyKey: "k-1")
        await #expect(throws: HeraldError(.idempotencyKeyReused, "", field: "Idempotency-Key")) {
            try await system.send(NotificationRequest(topic: "sales", message: "two"), idempotencyKey: "k-1")
        }
        #expect(system.store.count == 1)
    }

    @Test func idempotencyKeysExpireAfterTwentyFourHours() async throws {
        let system = TestSystem()
        let request = NotificationRequest(topic: "sales", message: "m")
        let first = try await system.send(request, idempotencyKey: "k-1")
        system.clock.advance(by: .seconds(24 * 3600 + 1))
        let later = try await system.send(request, idempotencyKey: "k-1")
        #expect(later.id != first.id)
    }

    @Test func concurrentRepeatsOfOneKeyCreateOneNotification() async throws {
        let system = TestSystem()
        let request = NotificationRequest(topic: "sales", message: "m")
        let ids = try await withThrowingTaskGroup(of: NotificationID.self) { group in
            for _ in 0..<50 { group.addTask { try await system.send(request, idempotencyKey: "same").id } }
            return try await group.reduce(into: Set<NotificationID>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(system.store.count == 1)
        #expect(try await system.queue.depth().ready == 1)
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "has space", "ünïcode"])
    func malformedIdempotencyKeysAreInvalid(key: String) async {
        let system = TestSystem()
        await #expect(throws: HeraldError(.invalidValue, "", field: "Idempotency-Key")) {
            try await system.send(NotificationRequest(topic: "sales", message: "m"), idempotencyKey: key)
        }
    }

    @Test func queueFailureIsQueueUnavailableAndNothingIsAccepted() async throws {
        let store = InMemoryNotificationStore()
        let send = SendNotification(
            planner: NotificationPlanner(
                resolver: TargetResolver(routes: RoutingTable(["sales": ["slack"]]),
                    channels: ["slack": ChannelDescriptor(name: "slack")]),
                templates: TemplateCatalog()),
            directory: InMemoryContactDirectory(), queue: UnreachableQueue(), store: store,
            idempotency: InMemoryIdempotencyStore(), clock: SystemClock())
        await #expect(throws: HeraldError(.queueUnavailable, "")) {
            try await send(NotificationRequest(topic: "sales", message: "m"))
        }
        #expect(store.count == 0)
    }
}

/// A queue whose backend cannot be reached: every call throws.
private struct UnreachableQueue: DeliveryQueue {
    struct ConnectionRefused: Error {}

    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome { throw ConnectionRefused() }
    func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation? {
        throw ConnectionRefused()
    }
    func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        throw ConnectionRefused()
    }
    func scheduleRetry(_ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord)
        async throws -> Bool
    { throw ConnectionRefused() }
    func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?) async throws -> Bool {
        throw ConnectionRefused()
    }
    func release(_ reservation: Reservation) async throws -> Bool { throw ConnectionRefused() }
    func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        throw ConnectionRefused()
    }
    func renewLeases(of worker: WorkerID, for lease: Duration) async throws { throw ConnectionRefused() }
    func leasedTokens(of worker: WorkerID) async throws -> Set<String> { throw ConnectionRefused() }
    func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int { throw ConnectionRefused() }
    func recoverExpiredLeases() async throws -> LeaseRecovery { throw ConnectionRefused() }
    func depth() async throws -> QueueDepth { throw ConnectionRefused() }
    func deadLetters(limit: Int) async throws -> [DeadLetter] { throw ConnectionRefused() }
}
