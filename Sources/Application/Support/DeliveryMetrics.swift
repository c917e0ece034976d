public import HeraldDomain
import Synchronization

/// Counters of what this process accepted and delivered, for `/metrics`.
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

    public init() {}

    func recordAccepted() {
        state.withLock { $0.accepted += 1 }
    }

    func record(_ outcome: Outcome, on channel: ChannelName) {
        state.withLock { $0.deliveries[channel, default: [:]][outcome, default: 0] += 1 }
    }

    /// Notifications accepted since start.
    public var acceptedCount: Int { state.withLock { $0.accepted } }

    /// Delivery attempts since start by channel and outcome.
    public var deliveryCounts: [ChannelName: [Outcome: Int]] { state.withLock { $0.deliveries } }
}
