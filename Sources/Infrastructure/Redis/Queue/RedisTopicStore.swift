import HeraldApplication
package import HeraldDomain

/// The topics' routes in Redis (`{p}:topics`: topic → the route's JSON), shared by every process at once.
package final class RedisTopicStore: TopicStore {
    private let entries: RedisCatalogHash

    /// - Parameter seed: the routes of `herald.json`, written once (see ``RedisCatalogHash``).
    package init(client: RedisClient, keyPrefix: String, seed: [Topic: Route]) {
        let keys = RedisKeys(prefix: keyPrefix)
        entries = RedisCatalogHash(
            client: client, hash: keys.topics, seededSet: keys.seeded("topics"),
            seed: seed.map { ($0.key.rawValue, $0.value.json.jsonText) })
    }

    package func route(for topic: Topic) async throws -> Route? {
        try await entries.entry(topic.rawValue).map(Self.decode)
    }

    package func routes() async throws -> [Topic: Route] {
        var routes: [Topic: Route] = [:]
        for (name, text) in try await entries.entries() { routes[Topic(name)] = try Self.decode(text) }
        return routes
    }

    package func setRoute(_ route: Route, for topic: Topic) async throws {
        try await entries.set(topic.rawValue, json: route.json.jsonText)
    }

    package func removeRoute(for topic: Topic) async throws -> Bool {
        try await entries.remove(topic.rawValue)
    }

    private static func decode(_ text: String) throws -> Route {
        try decodeStoredJSON(text, what: "route") { json throws(HeraldError) in try Route(json: json) }
    }
}
