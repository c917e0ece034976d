import HeraldApplication
package import HeraldDomain

/// The templates in Redis (`{p}:templates`: name → the template's JSON), shared by every process at once.
package final class RedisTemplateStore: TemplateStore {
    private let entries: RedisCatalogHash

    /// - Parameter seed: the templates of `herald.json`, written once (see ``RedisCatalogHash``).
    package init(client: RedisClient, keyPrefix: String, seed: [TemplateName: TemplateDefinition]) {
        let keys = RedisKeys(prefix: keyPrefix)
        entries = RedisCatalogHash(
            client: client, hash: keys.templates, seededSet: keys.seeded("templates"),
            seed: seed.map { ($0.key.rawValue, $0.value.json.jsonText) })
    }

    package func template(named name: TemplateName) async throws -> TemplateDefinition? {
        try await entries.entry(name.rawValue).map(Self.decode)
    }

    package func templates() async throws -> [TemplateName: TemplateDefinition] {
        var templates: [TemplateName: TemplateDefinition] = [:]
        for (name, text) in try await entries.entries() { templates[TemplateName(name)] = try Self.decode(text) }
        return templates
    }

    package func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws {
        try await entries.set(name.rawValue, json: template.json.jsonText)
    }

    package func removeTemplate(named name: TemplateName) async throws -> Bool {
        try await entries.remove(name.rawValue)
    }

    private static func decode(_ text: String) throws -> TemplateDefinition {
        try decodeStoredJSON(text, what: "template") { json throws(HeraldError) in try TemplateDefinition(json: json) }
    }
}
