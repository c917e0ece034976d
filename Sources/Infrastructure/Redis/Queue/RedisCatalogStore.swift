import HeraldApplication
package import HeraldDomain

/// Named values kept as JSON in one Redis hash (see ``RedisCatalogHash``), shared by every process at once: the
/// one shape of both runtime catalogs, ``RedisTopicStore`` (`{p}:topics`: topic → route) and ``RedisTemplateStore``
/// (`{p}:templates`: name → template).
package final class RedisCatalogStore<Name: StringIdentifier, Value: Sendable>: Sendable {
    private let entries: RedisCatalogHash
    private let encode: @Sendable (Value) -> String
    private let decode: @Sendable (String) throws -> Value

    /// - Parameter seed: the entries of `herald.json`, written once (see ``RedisCatalogHash``).
    init(
        client: RedisClient, hash: String, seededSet: String, seed: [Name: Value],
        encode: @escaping @Sendable (Value) -> String, decode: @escaping @Sendable (String) throws -> Value
    ) {
        self.encode = encode
        self.decode = decode
        entries = RedisCatalogHash(
            client: client, hash: hash, seededSet: seededSet, seed: seed.map { ($0.key.rawValue, encode($0.value)) })
    }

    func value(named name: Name) async throws -> Value? {
        try await entries.entry(name.rawValue).map(decode)
    }

    func values() async throws -> [Name: Value] {
        var values: [Name: Value] = [:]
        for (name, text) in try await entries.entries() { values[Name(rawValue: name)] = try decode(text) }
        return values
    }

    func set(_ value: Value, named name: Name) async throws {
        try await entries.set(name.rawValue, json: encode(value))
    }

    func remove(named name: Name) async throws -> Bool {
        try await entries.remove(name.rawValue)
    }
}

/// The topics' routes in Redis (`{p}:topics`: topic → the route's JSON).
package typealias RedisTopicStore = RedisCatalogStore<Topic, Route>

/// The templates in Redis (`{p}:templates`: name → the template's JSON).
package typealias RedisTemplateStore = RedisCatalogStore<TemplateName, TemplateDefinition>

extension RedisCatalogStore: TopicStore where Name == Topic, Value == Route {
    package convenience init(client: RedisClient, keyPrefix: String, seed: [Topic: Route]) {
        let keys = RedisKeys(prefix: keyPrefix)
        self.init(
            client: client, hash: keys.topics, seededSet: keys.seeded("topics"), seed: seed, encode: { $0.json.jsonText },
            decode: { text in try decodeStoredJSON(text, what: "route") { json throws(HeraldError) in try Route(json: json) } })
    }

    package func route(for topic: Topic) async throws -> Route? { try await value(named: topic) }
    package func routes() async throws -> [Topic: Route] { try await values() }
    package func setRoute(_ route: Route, for topic: Topic) async throws { try await set(route, named: topic) }
    package func removeRoute(for topic: Topic) async throws -> Bool { try await remove(named: topic) }
}

extension RedisCatalogStore: TemplateStore where Name == TemplateName, Value == TemplateDefinition {
    package convenience init(client: RedisClient, keyPrefix: String, seed: [TemplateName: TemplateDefinition]) {
        let keys = RedisKeys(prefix: keyPrefix)
        self.init(
            client: client, hash: keys.templates, seededSet: keys.seeded("templates"), seed: seed,
            encode: { $0.json.jsonText },
            decode: { text in
                try decodeStoredJSON(text, what: "template") { json throws(HeraldError) in try TemplateDefinition(json: json) }
            })
    }

    package func template(named name: TemplateName) async throws -> TemplateDefinition? { try await value(named: name) }
    package func templates() async throws -> [TemplateName: TemplateDefinition] { try await values() }
    package func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws {
        try await set(template, named: name)
    }
    package func removeTemplate(named name: TemplateName) async throws -> Bool { try await remove(named: name) }
}
