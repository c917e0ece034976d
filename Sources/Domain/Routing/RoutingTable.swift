/// Maps topics to their routes (`sales → [slack]`).
public struct RoutingTable: Hashable, Sendable {
    public var routes: [Topic: Route]

    public init(routes: [Topic: Route]) {
        self.routes = routes
    }

    /// Routes that send every channel at once, without throttles or digests.
    public init(_ channels: [Topic: [ChannelName]] = [:]) {
        self.routes = channels.mapValues { Route(channels: $0) }
    }

    /// The route of `topic`, or nil when the topic has none.
    public func route(for topic: Topic) -> Route? {
        routes[topic]
    }
}
