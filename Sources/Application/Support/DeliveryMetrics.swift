public import HeraldDomain
import Synchronization

/// Counters of what this process accepted and delivered, for `/metrics`; each event is also passed on to the
/// ``MetricsSink`` given at creation.
public final class DeliveryMetrics: Sendable {
    /// How a delivery attempt ended, as the `outcome` label.
    public enum Outcome: String, Sendable, CaseIterable {
        case sent, retried, rateLimited = "rate_limited", failed
    }

    private struct State {
        var accepted = 0
        var deliveries: [ChannelName: [Outcome: Int]] = [:]
    }

    private let state = Mutex(State())
    private let sink: any MetricsSink

    public init(sink: any MetricsSink = SilentMetricsSink()) {
        self.sink = sink
    }

    func recordAccepted() {
        state.withLock { $0.accepted += 1 }
        sink.notificationAccepted()
    }

    func record(_ outcome: Outcome, on channel: ChannelName, duration: Duration) {
        state.withLock { $0.deliveries[channel, default: [:]][outcome, default: 0] += 1 }
        sink.deliveryFinished(channel: channel, outcome: outcome, duration: duration)
    }

    /// Whether events go anywhere beyond these counters (a sink other than ``SilentMetricsSink``).
    public var hasSink: Bool { !(sink is SilentMetricsSink) }

    /// Passes a sample of the queue's counts on to the sink.
    public func recordDepth(_ depth: QueueDepth) {
        sink.queueDepthSampled(depth)
    }

    /// Notifications accepted since start.
    public var acceptedCount: Int { state.withLock { $0.accepted } }

    /// Delivery attempts since start by channel and outcome.
    public var deliveryCounts: [ChannelName: [Outcome: Int]] { state.withLock { $0.deliveries } }
}
