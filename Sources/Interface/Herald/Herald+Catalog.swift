public import HeraldDomain

/// The topics and templates managed at run time (contract §11), as `/v1/topics` and `/v1/templates` serve them;
/// on Redis a change is seen by every process at once.
extension Herald {
    /// The route of `topic`, or nil when it has none.
    public func route(for topic: Topic) async throws -> Route? {
        try await catalog.topics.route(for: topic)
    }

    /// Every topic's route.
    public func routes() async throws -> [Topic: Route] {
        try await catalog.topics.routes()
    }

    /// Stores `route` for `topic`. - Throws: `unknown_channel`, `unknown_template` (a digest's), `invalid_value`.
    public func setRoute(_ route: Route, for topic: Topic) async throws {
        try await catalog.setRoute(route, for: topic)
    }

    /// Removes the route of `topic`; returns whether it had one.
    @discardableResult
    public func removeRoute(for topic: Topic) async throws -> Bool {
        try await catalog.topics.removeRoute(for: topic)
    }

    /// The template `name` as written, or nil.
    public func template(named name: TemplateName) async throws -> TemplateDefinition? {
        try await catalog.templates.template(named: name)
    }

    /// Every template.
    public func templates() async throws -> [TemplateName: TemplateDefinition] {
        try await catalog.templates.templates()
    }

    /// Stores `template` as `name`. - Throws: `invalid_value` (it does not parse), `unknown_channel` (a variant's).
    public func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws {
        try await catalog.setTemplate(template, named: name)
    }

    /// Removes the template `name`; returns whether there was one.
    @discardableResult
    public func removeTemplate(named name: TemplateName) async throws -> Bool {
        try await catalog.templates.removeTemplate(named: name)
    }
}
