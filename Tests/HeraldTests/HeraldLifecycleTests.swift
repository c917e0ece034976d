import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

/// A channel that holds each send until the test lets it go, so a stop can begin with deliveries in flight.
final class GatedChannel: NotificationChannel {
    private let started = RecordingChannel()
    private let gate = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let isOpen = Mutex(false)

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        _ = try await started.send(message)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let openNow = isOpen.withLock { isOpen in
                if !isOpen { gate.withLock { $0.append(continuation) } }
                return isOpen
            }
            if openNow { continuation.resume() }
        }
        return .sent
    }

    /// Returns once `count` sends have begun.
    func waitForSends(count: Int) async { await started.waitForMessages(count: count) }

    /// Lets every held and later send finish.
    func open() {
        let held = isOpen.withLock { isOpen in
            isOpen = true
            return gate.withLock { gate in
                defer { gate = [] }
                return gate
            }
        }
        for continuation in held { continuation.resume() }
    }
}

/// Collects what Herald logs.
final class CollectingLogSink: LogSink {
    private let entries = Mutex<[LogEntry]>([])
    func log(_ entry: LogEntry) { entries.withLock { $0.append(entry) } }
    var all: [LogEntry] { entries.withLock { $0 } }
}

/// Collects what Herald reports to a metrics sink.
final class CollectingMetricsSink: MetricsSink {
    struct Delivery: Equatable {
        var channel: ChannelName
        var outcome: DeliveryMetrics.Outcome
    }

    private let state = Mutex<(accepted: Int, deliveries: [Delivery], durations: [Duration], depths: [QueueDepth])>(
        (0, [], [], []))
    func notificationAccepted() { state.withLock { $0.accepted += 1 } }
    func deliveryFinished(channel: ChannelName, outcome: DeliveryMetrics.Outcome, duration: Duration) {
        state.withLock {
            $0.deliveries.append(Delivery(channel: channel, outcome: outcome))
            $0.durations.append(duration)
        }
    }
    func queueDepthSampled(_ depth: QueueDepth) { state.withLock { $0.depths.append(depth) } }
    var accepted: Int { state.withLock { $0.accepted } }
    var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    var durations: [Duration] { state.withLock { $0.durations } }
    var depths: [QueueDepth] { state.withLock { $0.depths } }
}

/// `Herald(…)` is cheap, `run()` runs until `stop()` or cancellation, and in-flight work finishes first.
@Suite struct HeraldLifecycleTests {
    @Test func creatingAHeraldOnAnUnreachableRedisOpensNoConnectionAndDoesNotThrow() throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret("redis://127.0.0.1:\(try freeLoopbackPort())/0")
        let started = ContinuousClock.now
        _ = try Herald(configuration: configuration)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func runDeliversUntilStopAndSettledWaitsForTheOutcome() async throws {
        let slack = RecordingChannel()
        let herald = try Herald(channels: ["slack": slack])
        async let running: Void = herald.run()

        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        let record = try await herald.settled(receipt.id, timeout: .seconds(10))
        herald.stop()
        try await running

        #expect(record.status == .sent)
        #expect(slack.messages.map(\.body) == ["Customer needs help"])
    }

    @Test func aGracefulStopLetsInFlightDeliveriesFinishBeforeRunReturns() async throws {
        let slack = GatedChannel()
        let herald = try Herald(channels: ["slack": slack])
        let running = Task { try await herald.run() }
        var ids: [NotificationID] = []
        for index in 0..<3 {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "m\(index)")).id)
        }
        await slack.waitForSends(count: 3)

        herald.stop()
        try await Task.sleep(for: .milliseconds(50))
        let stillPending = try await herald.status(of: ids[0]).status
        slack.open()
        try await running.value

        #expect(stillPending == .pending)
        for id in ids { #expect(try await herald.status(of: id).status == .sent) }
    }

    @Test func cancellingRunStopsItGracefullyToo() async throws {
        let herald = try Herald(channels: ["slack": RecordingChannel()])
        let running = Task { try await herald.run() }
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        _ = try await herald.settled(receipt.id)
        running.cancel()
        try await running.value
    }

    @Test func stopBeforeRunMakesRunReturnAtOnce() async throws {
        let herald = try Herald()
        herald.stop()
        try await herald.run()
    }

    @Test func runIsRefusedTheSecondTime() async throws {
        let herald = try Herald()
        herald.stop()
        try await herald.run()
        await #expect(throws: HeraldError.self) { try await herald.run() }
    }

    @Test func theServerRoleBindsInRunServesTheAPIAndClosesOnStop() async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.http.port = 0
        let herald = try Herald(configuration: configuration, channels: ["slack": RecordingChannel()], roles: [.server])
        let running = Task { try await herald.run() }
        let port = try await herald.listeningPort()

        let health = try await onThread { try RawHTTPClient(port: port).request("GET", "/healthz") }
        herald.stop()
        try await running.value

        #expect(health.status == 200)
        #expect((try? RawHTTPClient(port: port)) == nil)
    }

    @Test func listeningPortIsRefusedWithoutTheServerRole() async throws {
        let herald = try Herald()
        await #expect(throws: HeraldError.self) { try await herald.listeningPort() }
    }

    @Test func aCustomChannelWithoutItsImplementationIsAConfigurationError() throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.channels["pager"] = HeraldConfiguration.ChannelSettings(kind: .custom)
        let error = #expect(throws: HeraldError.self) { try Herald(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.field == "channels.pager")
    }

    @Test func anImplementationForAMisspelledChannelIsAnErrorThatSuggestsTheName() throws {
        let error = #expect(throws: HeraldError.self) { try Herald(channels: ["slak": RecordingChannel()]) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("did you mean \"slack\"?") == true)
    }

    @Test func theLoggerGivenOnceReceivesDeliveryAndRequestLinesWithHeraldAsTheirSource() async throws {
        let log = CollectingLogSink()
        let herald = try Herald(channels: ["slack": RecordingChannel()], logger: log)
        _ = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/healthz"))
        _ = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        try await herald.worker.drain()

        let messages = log.all.map(\.message)
        #expect(messages.contains("request"))
        #expect(messages.contains("delivery sent"))
        #expect(log.all.allSatisfy { $0.source == LogEntry.heraldSource })
        #expect(log.all.first { $0.message == "delivery sent" }?.metadata["channel"] == "slack")
    }

    @Test func aPerRequestLoggerGetsThatRequestsLineInsteadOfTheAPIsLogger() async throws {
        let instanceLog = CollectingLogSink()
        let requestLog = CollectingLogSink()
        let herald = try Herald(logger: instanceLog)
        _ = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/healthz"), logger: requestLog)

        #expect(requestLog.all.map(\.message) == ["request"])
        #expect(requestLog.all.first?.metadata["route"] == "/healthz")
        #expect(instanceLog.all.isEmpty)
    }

    @Test func aMetricsSinkIsToldOfEveryAcceptAndDeliveryAsTheyHappen() async throws {
        let sink = CollectingMetricsSink()
        let slack = ScriptedChannel([.retry(reason: "503")])
        let clock = ManualClock()
        let herald = try Herald(channels: ["slack": slack], clock: clock, metrics: sink)
        _ = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        try await herald.worker.drain(advancing: clock)

        #expect(sink.accepted == 1)
        #expect(sink.deliveries == [.init(channel: "slack", outcome: .retried), .init(channel: "slack", outcome: .sent)])
        #expect(sink.durations.allSatisfy { $0 >= .zero })
    }

    @Test func runSamplesTheQueueDepthForAMetricsSink() async throws {
        let sink = CollectingMetricsSink()
        let herald = try Herald(metrics: sink)
        let running = Task { try await herald.run() }
        for _ in 0..<500 where sink.depths.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        herald.stop()
        try await running.value
        #expect(sink.depths.first?.ready == 0)
    }
}
