public import HeraldDomain

/// Where Herald reports what it counts, as it happens, so a metrics backend can observe it (push), beside the
/// pull-style ``DeliveryMetrics`` that `/metrics` renders. `HeraldMetrics` in the Integrations package adapts
/// swift-metrics. Calls come from any task; implementations must be cheap and must not block.
public protocol MetricsSink: Sendable {
    /// A notification was accepted (persisted and queued).
    func notificationAccepted()
    /// A delivery attempt ended with `outcome` on `channel`; `duration` is the time the channel's send took.
    func deliveryFinished(channel: ChannelName, outcome: DeliveryMetrics.Outcome, duration: Duration)
    /// The queue's counts, sampled by ``Herald``'s run loop every few seconds.
    func queueDepthSampled(_ depth: QueueDepth)
}

/// A sink that drops everything: the default when a host reports no metrics.
public struct SilentMetricsSink: MetricsSink {
    public init() {}
    public func notificationAccepted() {}
    public func deliveryFinished(channel: ChannelName, outcome: DeliveryMetrics.Outcome, duration: Duration) {}
    public func queueDepthSampled(_ depth: QueueDepth) {}
}
