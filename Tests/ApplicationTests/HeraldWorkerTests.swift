import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

@Suite struct HeraldWorkerTests {
    @Test(.timeLimit(.minutes(1)))
    func thousandConcurrentSendsAreEachDeliveredExactlyOnce() async throws {
        let slack = RecordingChannel()
        let email = RecordingChannel()
        let sms = RecordingChannel()
        let system = TestSystem(
            slack: slack, email: email, sms: sms, worker: HeraldWorker.Configuration(concurrency: 8, lease: .seconds(30)))
        let worker = Task { try await system.worker.run() }

        let ids = try await withThrowingTaskGroup(of: NotificationID.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    try await system.send(NotificationRequest(topic: "purchase", message: "order \(index)", userID: "123")).id
                }
            }
            return try await group.reduce(into: [NotificationID]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 1000)
        #expect(system.store.count == 1000)

        await slack.waitForMessages(count: 1000)
        await email.waitForMessages(count: 1000)
        await sms.waitForMessages(count: 1000)
        worker.cancel()
        try await worker.value

        for channel in [slack, email, sms] {
            let deliveries = channel.outgoing.map(\.deliveryID)
            #expect(deliveries.count == 1000)
            #expect(Set(deliveries).count == 1000)
        }
        for id in ids {
            #expect(try await system.status(id).status == .sent)
        }
        #expect(try await system.queue.depth().isIdle)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellationLetsInFlightDeliveriesFinishAndLosesNothing() async throws {
        let slack = BlockingChannel()
        let system = TestSystem(slack: slack, worker: HeraldWorker.Configuration(concurrency: 4, lease: .seconds(30)))
        let ids = try await (0..<10).asyncMap { _ in
            try await system.send(NotificationRequest(topic: "sales", message: "m")).id
        }
        let worker = Task { try await system.worker.run() }
        var started = slack.started.makeAsyncIterator()
        for _ in 0..<4 { _ = await started.next() }

        worker.cancel()
        slack.open()
        try await worker.value

        let depth = try await system.queue.depth()
        #expect(depth.inFlight == 0)
        #expect(slack.sent.count == 4)
        #expect(depth.ready == 6)

        try await system.worker.drain()
        #expect(Set(slack.sent).count == 10)
        #expect(slack.sent.count == 10)
        for id in ids { #expect(try await system.status(id).status == .sent) }
    }

    @Test(.timeLimit(.minutes(1)))
    func deliveriesStillRunningAfterTheShutdownTimeoutAreReturnedToTheQueue() async throws {
        let slack = BlockingChannel()
        let system = TestSystem(
            slack: slack, worker: HeraldWorker.Configuration(concurrency: 2, lease: .seconds(30), shutdownTimeout: .seconds(5)))
        let ids = try await (0..<2).asyncMap { _ in
            try await system.send(NotificationRequest(topic: "sales", message: "m")).id
        }
        let worker = Task { try await system.worker.run() }
        var started = slack.started.makeAsyncIterator()
        for _ in 0..<2 { _ = await started.next() }

        worker.cancel()
        let ticker = Task {
            while !Task.isCancelled {
                system.clock.advance(by: .seconds(1))
                await Task.yield()
            }
        }
        try await worker.value
        ticker.cancel()

        let depth = try await system.queue.depth()
        #expect(depth.inFlight == 0)
        #expect(depth.ready == 2)
        for id in ids {
            let delivery = try await system.status(id).deliveries[0]
            #expect(delivery.status == .queued)
            #expect(delivery.attempts == 0)
        }
        slack.open()
        try await system.worker.drain()
        #expect(slack.sent.count == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCrashedWorkersDeliveryIsRecoveredAfterItsLeaseExpires() async throws {
        let slack = RecordingChannel()
        let system = TestSystem(slack: slack)
        let receipt = try await system.send(NotificationRequest(topic: "sales", message: "m"))
        _ = try #require(try await system.queue.reserve(for: "crashed-worker", lease: .seconds(30), waitingUpTo: .zero))

        #expect(try await system.worker.drain() == 0)
        system.clock.advance(by: .seconds(30))
        #expect(try await system.worker.drain() == 1)

        #expect(try await system.status(receipt.id).status == .sent)
        #expect(slack.messages.count == 1)
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
