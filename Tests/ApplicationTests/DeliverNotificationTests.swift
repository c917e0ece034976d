import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

@Suite struct DeliverNotificationTests {
    @Test func transientFailuresAreRetriedUntilSent() async throws {
        let slack = ScriptedChannel([.retry(reason: "503 Service Unavailable"), .retry(reason: "timed out")])
        let system = TestSystem(slack: slack)
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "Customer needs help"))

        try await system.worker.drain(advancing: system.clock)

        let delivery = try #require(try await system.status(receipt.id).deliveries.first)
        #expect(delivery.status == .sent)
        #expect(delivery.attempts == 3)
        #expect(delivery.lastError == "timed out")
        #expect(slack.attempts.map(\.attempt) == [1, 2, 3])
        #expect(try await system.queue.depth().isIdle)
    }

    @Test func aRetryWaitsForItsBackoff() async throws {
        let slack = ScriptedChannel([.retry(reason: "503")])
        let system = TestSystem(slack: slack)
        let start = system.clock.now
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))

        try await system.worker.drain()

        let record = try await system.status(receipt.id)
        #expect(record.status == .pending)
        #expect(record.deliveries[0].status == .retrying)
        let depth = try await system.queue.depth()
        #expect(depth.scheduled == 1)
        let due = try #require(depth.nextScheduledAt)
        #expect(due >= start && due <= start.addingTimeInterval(1))
        #expect(slack.attempts.count == 1)
    }

    @Test func thrownErrorsCountAsRetries() async throws {
        struct ConnectionReset: Error {}
        let slack = ScriptedChannel(steps: [.error(ConnectionReset())])
        let system = TestSystem(slack: slack)
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))
        try await system.worker.drain(advancing: system.clock)
        #expect(try await system.status(receipt.id).deliveries[0].status == .sent)
        #expect(slack.attempts.count == 2)
    }

    @Test func permanentFailureFailsAtOnceWithoutRetry() async throws {
        let slack = ScriptedChannel([.failed(reason: "400 invalid_payload")])
        let system = TestSystem(slack: slack)
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))

        try await system.worker.drain(advancing: system.clock)

        let record = try await system.status(receipt.id)
        #expect(record.status == .failed)
        #expect(record.deliveries[0].attempts == 1)
        #expect(record.deliveries[0].lastError == "400 invalid_payload")
        #expect(slack.attempts.count == 1)
        let dead = try await system.queue.deadLetters(limit: 10)
        #expect(dead.map(\.unit.id) == [DeliveryID(notificationID: receipt.id, channel: "slack")])
        #expect(dead.first?.reason == "400 invalid_payload")
    }

    @Test func exhaustingAttemptsFailsAndDeadLetters() async throws {
        let slack = ScriptedChannel([], then: .retry(reason: "502 Bad Gateway"))
        let system = TestSystem(slack: slack)
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))

        try await system.worker.drain(advancing: system.clock)

        let delivery = try await system.status(receipt.id).deliveries[0]
        #expect(delivery.status == .failed)
        #expect(delivery.attempts == 3)
        #expect(slack.attempts.count == 3)
        #expect(try await system.queue.depth().dead == 1)
    }

    @Test func rateLimitedAnswersWaitWithoutUsingTheAttemptBudgetButAreCountedAsAttempts() async throws {
        let slack = ScriptedChannel([
            .rateLimited(retryAfter: .seconds(30), reason: "429"), .rateLimited(retryAfter: .seconds(30), reason: "429"),
            .retry(reason: "500"), .retry(reason: "500"),
        ])
        let system = TestSystem(slack: slack)
        let start = system.clock.now
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))

        try await system.worker.drain(advancing: system.clock)

        let delivery = try await system.status(receipt.id).deliveries[0]
        #expect(delivery.status == .sent)
        #expect(delivery.attempts == 5)
        #expect(slack.attempts.count == 5)
        #expect(system.clock.now.timeIntervalSince(start) >= 60)
    }

    @Test func oneFailingChannelDoesNotResendTheOthers() async throws {
        let slack = RecordingChannel()
        let sms = ScriptedChannel([.failed(reason: "21610 recipient opted out")])
        let system = TestSystem(slack: slack, sms: sms)
        let receipt = try await system.send(NotificationRequest(topic: "purchase", message: "Thanks", userID: "123"))
        try await system.worker.drain(advancing: system.clock)

        let record = try await system.status(receipt.id)
        #expect(record.status == .partial)
        #expect(record.deliveries.map(\.status) == [.sent, .sent, .failed])

        let retried = try await system.retry(receipt.id)
        #expect(retried.deliveries == [
            NotificationReceipt.Delivery(channel: "sms", recipient: "+15550002222", status: .queued),
        ])
        try await system.worker.drain(advancing: system.clock)

        let after = try await system.status(receipt.id)
        #expect(after.status == .sent)
        #expect(after.deliveries[2].attempts == 2)
        #expect(slack.messages.count == 1)
        #expect(sms.attempts.count == 2)
        #expect(try await system.queue.depth().dead == 0)
    }

    @Test func retryOfANotificationWithoutFailuresIsRejected() async throws {
        let system = TestSystem()
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))
        try await system.worker.drain()
        await #expect(throws: HeraldError(.nothingToRetry, "", field: "id")) { try await system.retry(receipt.id) }
        await #expect(throws: HeraldError(.notFound, "", field: "id")) { try await system.retry("ntf_missing") }
    }

    @Test func recipientsAreResolvedFromTheUserServiceAtDeliveryTime() async throws {
        let email = RecordingChannel()
        let system = TestSystem(email: email)
        _ = try await system.send(NotificationRequest(message: "Your report", userID: "123"))
        var moved = TestSystem.ana
        moved.contact.email = "ana@new.example.com"
        try await system.directory.upsert(moved)

        try await system.worker.drain()

        #expect(email.messages == [RecordingChannel.Entry(channel: "email", recipients: ["ana@new.example.com"], body: "Your report")])
    }

    @Test func aStaleWorkerDoesNotResendADeliveryThatWasSent() async throws {
        let slack = RecordingChannel()
        let system = TestSystem(slack: slack)
        _ = try await system.send(NotificationRequest(topic: "sales", message: "m"))
        let stale = try #require(try await system.queue.reserve(for: "crashed", lease: .seconds(30), waitingUpTo: .zero))
        system.clock.advance(by: .seconds(31))

        try await system.worker.drain()
        #expect(slack.messages.count == 1)

        let deliver = DeliverNotification(
            store: system.store, queue: system.queue, channels: ChannelRegistry([ChannelRegistration("slack", channel: slack)]),
            contacts: ResolveContact(directory: system.directory), policy: RetryPolicy(), clock: system.clock,
            log: SilentLogSink())
        await deliver(stale)
        #expect(slack.messages.count == 1)
    }
}
