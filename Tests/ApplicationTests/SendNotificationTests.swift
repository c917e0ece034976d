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
            directory: InMemoryContactDirectory(), queue: FailingQueue(), store: store,
            idempotency: InMemoryIdempotencyStore(), clock: SystemClock())
        await #expect(throws: HeraldError(.queueUnavailable, "")) {
            try await send(NotificationRequest(topic: "sales", message: "m"))
        }
        #expect(store.count == 0)
    }
}

/// The fakes `HeraldTesting` ships for a host's own unit tests.
@Suite struct TestingFakesTests {
    @Test func anUnimplementedPortNamesTheCallATestDidNotExpect() async throws {
        await #expect(throws: Unimplemented("NotificationStore.record")) {
            _ = try await UnimplementedNotificationStore().record(for: NotificationID("ntf_x"))
        }
        await #expect(throws: Unimplemented("NotificationIntake.requeue")) {
            _ = try await UnimplementedQueue().requeue(NotificationID("ntf_x"), deliveries: [])
        }
        await #expect(throws: Unimplemented("QueueInspection.depth")) { _ = try await UnimplementedQueue().depth() }
    }

    @Test func aUseCaseGivenAnUnimplementedStoreFailsNamingIt() async throws {
        let status = GetNotificationStatus(store: UnimplementedNotificationStore())
        await #expect(throws: Unimplemented("NotificationStore.record")) { _ = try await status(NotificationID("ntf_x")) }
    }

    @Test func theFailingQueueAnswersQueueUnavailable() async throws {
        let error = await #expect(throws: HeraldError.self) { _ = try await FailingQueue().depth() }
        #expect(error?.code == .queueUnavailable)
    }
}
