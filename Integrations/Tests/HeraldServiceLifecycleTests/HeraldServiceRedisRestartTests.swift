import Foundation
import Herald
import HeraldServiceLifecycle
import HeraldTesting
import Logging
import ServiceLifecycle
import Testing

@Suite(
    "HeraldService on Redis", .timeLimit(.minutes(1)),
    .enabled(if: RedisProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct HeraldServiceRedisRestartTests {
    static func configuration(redis: RedisProcess) -> HeraldConfiguration {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(redis.url)
        configuration.queue.keyPrefix = "herald-it-\(UUID().uuidString.prefix(8))"
        configuration.workers.concurrency = 4
        return configuration
    }

    @Test func whatAGracefulShutdownLeavesQueuedIsDeliveredAfterARestartOnTheSameQueue() async throws {
        let redis = try await RedisProcess()
        let configuration = Self.configuration(redis: redis)
        let slow = GatedChannel()
        let first = try Herald(configuration: configuration, channels: ["slack": slow])
        let group = ServiceGroup(services: [HeraldService(first)], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var ids: [NotificationID] = []
        for index in 0..<10 {
            ids.append(try await first.send(NotificationRequest(topic: "sales", message: "message \(index)")).id)
        }
        await slow.waitForStarted(count: 4)
        await group.triggerGracefulShutdown()
        slow.open()
        try await running.value
        #expect(slow.finished.count == slow.started.count)

        let slack = RecordingChannel()
        let second = try Herald(configuration: configuration, channels: ["slack": slack])
        var queued: [NotificationID] = []
        for id in ids {
            let statuses = try await second.status(of: id).deliveries.map(\.status)
            #expect(statuses == [.sent] || statuses == [.queued], "\(id): \(statuses)")
            if statuses == [.queued] { queued.append(id) }
        }
        #expect(Set(slow.finished).isDisjoint(with: queued))

        let restarted = ServiceGroup(services: [HeraldService(second)], logger: Logger(label: "test"))
        let rerunning = Task { try await restarted.run() }
        for id in queued { #expect(try await second.settled(id, timeout: .seconds(20)).status == .sent) }
        await restarted.triggerGracefulShutdown()
        try await rerunning.value
        let delivered = slack.outgoing.map(\.deliveryID.notificationID) + slow.finished
        #expect(delivered.sorted { $0.rawValue < $1.rawValue } == ids.sorted { $0.rawValue < $1.rawValue })
    }
}
