import Herald
import HeraldServiceLifecycle
import HeraldTesting
import Logging
import ServiceLifecycle
import Testing

@Suite("HeraldService", .timeLimit(.minutes(1)))
struct HeraldServiceTests {
    /// Four delivery loops, so four deliveries are in flight while the others wait in the queue.
    static func makeHerald(slack: GatedChannel) throws -> Herald {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.workers.concurrency = 4
        return try Herald(configuration: configuration, channels: ["slack": slack])
    }

    static func send(_ count: Int, to herald: Herald) async throws -> [NotificationID] {
        var ids: [NotificationID] = []
        for index in 0..<count {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "message \(index)")).id)
        }
        return ids
    }

    @Test func gracefulShutdownWithDeliveriesInFlightLosesNothing() async throws {
        let slack = GatedChannel()
        let herald = try Self.makeHerald(slack: slack)
        let group = ServiceGroup(services: [HeraldService(herald)], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let ids = try await Self.send(10, to: herald)
        await slack.waitForStarted(count: 4)

        await group.triggerGracefulShutdown()
        slack.open()
        try await running.value

        // run() returned only after every send that had started finished and was settled.
        #expect(slack.finished.count == slack.started.count)
        var sent = 0
        for id in ids {
            let record = try await herald.status(of: id)
            let statuses = record.deliveries.map(\.status)
            #expect(statuses == [.sent] || statuses == [.queued], "\(id): \(statuses)")
            if statuses == [.sent] { sent += 1 }
        }
        #expect(sent == slack.finished.count)
        for id in slack.started { #expect(try await herald.status(of: id).deliveries.map(\.status) == [.sent]) }
        let depth = try await herald.queueDepth()
        #expect(depth.inFlight == 0)
        #expect(depth.ready == ids.count - sent)
    }

    @Test func cancellingTheServiceStopsHeraldAfterInFlightDeliveriesFinish() async throws {
        let slack = GatedChannel()
        let herald = try Self.makeHerald(slack: slack)
        let running = Task { try await HeraldService(herald).run() }
        let ids = try await Self.send(2, to: herald)
        await slack.waitForStarted(count: 2)

        running.cancel()
        slack.open()
        try await running.value

        for id in ids { #expect(try await herald.status(of: id).deliveries.map(\.status) == [.sent]) }
        #expect(try await herald.queueDepth().inFlight == 0)
    }

    @Test func runsBesideOtherServicesUntilTheGroupShutsDown() async throws {
        let slack = RecordingChannel()
        let herald = try Herald(channels: ["slack": slack])
        let group = ServiceGroup(services: [HeraldService(herald)], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        #expect(try await herald.settled(receipt.id, timeout: .seconds(20)).status == .sent)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(slack.messages.count == 1)
    }
}
