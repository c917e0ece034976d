public import CoreMetrics
public import Herald
import Synchronization

/// A Herald ``MetricsSink`` that reports through swift-metrics, to whatever backend the host bootstrapped
/// (Prometheus, StatsD, OpenTelemetry, ...).
///
/// | metric | type | dimensions |
/// |---|---|---|
/// | `herald_notifications_accepted_total` | `Counter` | none |
/// | `herald_deliveries_total` | `Counter` | `channel`, `outcome` (`sent`, `retried`, `rate_limited`, `failed`) |
/// | `herald_delivery_duration_seconds` | `Timer` (nanoseconds, displayed in seconds) | `channel` |
/// | `herald_queue_ready`, `herald_queue_inflight`, `herald_queue_scheduled`, `herald_queue_dead` | `Gauge` | none |
///
/// Each metric object is created once per label set and reused, so an event costs a dictionary lookup under a
/// lock, not a factory call.
///
/// ```swift
/// let herald = try Herald(metrics: SwiftMetricsSink())
/// ```
public final class SwiftMetricsSink: MetricsSink {
    private struct DeliveryKey: Hashable {
        var channel: ChannelName
        var outcome: DeliveryMetrics.Outcome
    }

    private struct Cache {
        var deliveries: [DeliveryKey: Counter] = [:]
        var durations: [ChannelName: Timer] = [:]
    }

    private let factory: any MetricsFactory
    private let accepted: Counter
    private let ready: Gauge
    private let inFlight: Gauge
    private let scheduled: Gauge
    private let dead: Gauge
    private let cache = Mutex(Cache())

    /// - Parameter factory: where the metrics go; the bootstrapped `MetricsSystem.factory` by default (tests pass a
    ///   `TestMetrics`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        accepted = Counter(label: "herald_notifications_accepted_total", factory: factory)
        ready = Gauge(label: "herald_queue_ready", factory: factory)
        inFlight = Gauge(label: "herald_queue_inflight", factory: factory)
        scheduled = Gauge(label: "herald_queue_scheduled", factory: factory)
        dead = Gauge(label: "herald_queue_dead", factory: factory)
    }

    public func notificationAccepted() {
        accepted.increment()
    }

    public func deliveryFinished(channel: ChannelName, outcome: DeliveryMetrics.Outcome, duration: Duration) {
        let (counter, timer) = metrics(for: DeliveryKey(channel: channel, outcome: outcome))
        counter.increment()
        timer.recordNanoseconds(Self.nanoseconds(of: duration))
    }

    public func queueDepthSampled(_ depth: QueueDepth) {
        ready.record(depth.ready)
        inFlight.record(depth.inFlight)
        scheduled.record(depth.scheduled)
        dead.record(depth.dead)
    }

    /// The cached counter and timer of a channel and outcome, created on first use.
    private func metrics(for key: DeliveryKey) -> (Counter, Timer) {
        cache.withLock { cache in
            let counter =
                cache.deliveries[key]
                ?? Counter(
                    label: "herald_deliveries_total",
                    dimensions: [("channel", key.channel.rawValue), ("outcome", key.outcome.rawValue)],
                    factory: factory)
            cache.deliveries[key] = counter
            let timer =
                cache.durations[key.channel]
                ?? Timer(
                    label: "herald_delivery_duration_seconds", dimensions: [("channel", key.channel.rawValue)],
                    preferredDisplayUnit: .seconds, factory: factory)
            cache.durations[key.channel] = timer
            return (counter, timer)
        }
    }

    private static func nanoseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ attoseconds / 1_000_000_000
    }
}
