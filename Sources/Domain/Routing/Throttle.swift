/// At most ``limit`` notifications per user within any ``window`` (`"throttle": {"limit": 5, "window_s": 3600}`).
public struct Throttle: Hashable, Sendable {
    public var limit: Int
    public var window: Duration

    public init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }
}

/// The throttles of a configuration: per route (a topic's routed deliveries) and per channel, each counted per user.
public struct ThrottleRules: Hashable, Sendable {
    public var routes: [Topic: Throttle]
    public var channels: [ChannelName: Throttle]

    public init(routes: [Topic: Throttle] = [:], channels: [ChannelName: Throttle] = [:]) {
        self.routes = routes
        self.channels = channels
    }

    /// One count a notification must pass: its counter key, the throttle, and the channels it stops when over.
    public struct Check: Hashable, Sendable {
        public var key: String
        public var throttle: Throttle
        public var channels: Set<ChannelName>
    }

    /// The counts a notification for `user` takes: its route's (when its targets are routed from `topic`) and one per
    /// throttled channel among the targets still to send. Nothing for a notification without a user.
    public func checks(for targets: [DeliveryTarget], user: UserID?, routedTopic: Topic?) -> [Check] {
        guard let user, !routes.isEmpty || !channels.isEmpty else { return [] }
        let sending = Set(targets.filter { !$0.isSkipped }.map(\.channel))
        guard !sending.isEmpty else { return [] }
        var checks: [Check] = []
        if let topic = routedTopic, let throttle = routes[topic] {
            checks.append(Check(key: "route:\(topic):\(user)", throttle: throttle, channels: sending))
        }
        for channel in sending.sorted() {
            if let throttle = channels[channel] {
                checks.append(Check(key: "channel:\(channel):\(user)", throttle: throttle, channels: [channel]))
            }
        }
        return checks
    }
}
