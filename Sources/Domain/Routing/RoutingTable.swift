/// Maps topics to the channels that carry them (`sales → [slack]`).
public struct RoutingTable: Hashable, Sendable {
    public var routes: [Topic: [ChannelName]]

    public init(_ routes: [Topic: [ChannelName]] = [:]) {
        self.routes = routes
    }

    /// The channels routed for `topic`, or nil when the topic has no route.
    public func channels(for topic: Topic) -> [ChannelName]? {
        routes[topic]
    }
}
