import CoreMetrics
import Herald
import HeraldMetrics
import HeraldTesting
import MetricsTestKit
import Testing

@Suite("SwiftMetricsSink", .timeLimit(.minutes(1)))
struct SwiftMetricsSinkTests {
    @Test func countsAcceptedNotifications() throws {
        let metrics = TestMetrics()
        let sink = SwiftMetricsSink(factory: metrics)
        sink.notificationAccepted()
        sink.notificationAccepted()
        #expect(try metrics.expectCounter("herald_notifications_accepted_total").totalValue == 2)
    }

    @Test func countsDeliveriesByChannelAndOutcomeAndTimesThemByChannel() throws {
        let metrics = TestMetrics()
        let sink = SwiftMetricsSink(factory: metrics)
        sink.deliveryFinished(channel: "slack", outcome: .sent, duration: .milliseconds(5))
        sink.deliveryFinished(channel: "slack", outcome: .rateLimited, duration: .milliseconds(7))
        sink.deliveryFinished(channel: "slack", outcome: .sent, duration: .seconds(1))
        let sent = try metrics.expectCounter("herald_deliveries_total", [("channel", "slack"), ("outcome", "sent")])
        #expect(sent.totalValue == 2)
        let limited = try metrics.expectCounter(
            "herald_deliveries_total", [("channel", "slack"), ("outcome", "rate_limited")])
        #expect(limited.totalValue == 1)
        let timer = try metrics.expectTimer("herald_delivery_duration_seconds", [("channel", "slack")])
        #expect(timer.values == [5_000_000, 7_000_000, 1_000_000_000])
    }

    @Test func createsEachMetricOncePerLabelSet() {
        let metrics = CountingFactory()
        let sink = SwiftMetricsSink(factory: metrics)
        for _ in 0..<50 {
            sink.deliveryFinished(channel: "slack", outcome: .sent, duration: .milliseconds(1))
            sink.deliveryFinished(channel: "email", outcome: .failed, duration: .milliseconds(1))
            sink.notificationAccepted()
            sink.queueDepthSampled(QueueDepth(ready: 1, inFlight: 0, scheduled: 0, dead: 0))
        }
        // accepted + 4 gauges at init; then 2 delivery counters and 2 timers.
        #expect(metrics.created == 9)
    }

    @Test func reportsQueueDepthAsGauges() throws {
        let metrics = TestMetrics()
        let sink = SwiftMetricsSink(factory: metrics)
        sink.queueDepthSampled(QueueDepth(ready: 4, inFlight: 2, scheduled: 1, dead: 3))
        #expect(try metrics.expectGauge("herald_queue_ready").lastValue == 4)
        #expect(try metrics.expectGauge("herald_queue_inflight").lastValue == 2)
        #expect(try metrics.expectGauge("herald_queue_scheduled").lastValue == 1)
        #expect(try metrics.expectGauge("herald_queue_dead").lastValue == 3)
    }

    @Test func aRunningHeraldReportsAcceptsDeliveriesAndDepth() async throws {
        let metrics = TestMetrics()
        let slack = RecordingChannel()
        let herald = try Herald(channels: ["slack": slack], metrics: SwiftMetricsSink(factory: metrics))
        async let running: Void = herald.run()
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        _ = try await herald.settled(receipt.id, timeout: .seconds(20))
        herald.stop()
        try await running
        #expect(try metrics.expectCounter("herald_notifications_accepted_total").totalValue == 1)
        let sent = try metrics.expectCounter("herald_deliveries_total", [("channel", "slack"), ("outcome", "sent")])
        #expect(sent.totalValue == 1)
        #expect(try metrics.expectTimer("herald_delivery_duration_seconds", [("channel", "slack")]).values.count == 1)
        #expect(try metrics.expectGauge("herald_queue_ready").lastValue != nil)
    }
}
