/// Maps topics to the channels that carry them (`sales → [slack]`).
public struct RoutingTable: Hashable, Sendable {
    public var routes: [Topic: [ChannelName]]
    /// Topics whose channels are a fallback chain: tried one after the other, the next only when one fails.
    public var fallbackTopics: Set<Topic>

    public init(_ routes: [Topic: [ChannelName]] = [:], fallbackTopics: Set<Topic> = []) {
        self.routes = routes
        self.fallbackTopics = fallbackTopics
    }

    /// The channels routed for `topic`, or nil when the topic has no route.
    public func channels(for topic: Topic) -> [ChannelName]? {
        routes[topic]
    }
}
