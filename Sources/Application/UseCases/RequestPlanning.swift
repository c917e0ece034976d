public import HeraldDomain

/// What one request is planned with: the configuration's routes, templates and throttles, or, when topics and
/// templates are managed at run time, their state at this moment (read per request, so a change made by any
/// process applies to the next request everywhere).
public struct RequestPlanning: Sendable {
    public var planner: NotificationPlanner
    public var throttles: ThrottleRules
    /// The topic's route, when the request is routed by topic.
    public var route: Route?
    /// The template of the route's digest, when it has one.
    public var digestTemplate: MessageTemplate?

    /// The planning of `request`: `planner` and `throttles` as they are, or with the route of the request's topic
    /// and its template taken from `catalog`.
    static func of(
        _ request: NotificationRequest, planner: NotificationPlanner, throttles: ThrottleRules, catalog: ManageCatalog?
    ) async throws -> RequestPlanning {
        let routedTopic = request.channels.isEmpty && request.fallback.isEmpty ? request.topic : nil
        guard let catalog else {
            var planning = RequestPlanning(
                planner: planner, throttles: throttles, route: routedTopic.flatMap(planner.resolver.routes.route(for:)))
            if let digest = planning.route?.digest {
                planning.digestTemplate = try digestTemplate(digest) { name throws(HeraldError) in
                    try planner.templates.template(named: name)
                }
            }
            return planning
        }
        var planning = RequestPlanning(planner: planner, throttles: throttles, route: nil)
        if let topic = routedTopic {
            planning.route = try await catalog.topics.route(for: topic)
            planning.planner.resolver.routes = RoutingTable(routes: planning.route.map { [topic: $0] } ?? [:])
            planning.throttles.routes = planning.route?.throttle.map { [topic: $0] } ?? [:]
        }
        if let digest = planning.route?.digest {
            let template = digest.isInlineTemplate ? nil : try await catalog.templates.template(named: TemplateName(digest.template))
            planning.digestTemplate = try digestTemplate(digest) { name throws(HeraldError) in
                guard let template else {
                    throw HeraldError(.unknownTemplate, "the digest's template \"\(name)\" no longer exists", field: "digest.template")
                }
                return try ManageCatalog.parse(template, named: name)
            }
        }
        if let name = request.template {
            let definition = try await catalog.templates.template(named: name)
            planning.planner.templates = TemplateCatalog(
                try definition.map { definition throws(HeraldError) in [name: try ManageCatalog.parse(definition, named: name)] } ?? [:])
        }
        return planning
    }

    /// A digest's template: its inline body, or the named template `lookUp` finds.
    private static func digestTemplate(
        _ digest: Digest, lookUp: (TemplateName) throws(HeraldError) -> MessageTemplate
    ) throws(HeraldError) -> MessageTemplate {
        if digest.isInlineTemplate {
            return try MessageTemplate(subject: nil, body: digest.template, path: "digest.template")
        }
        do {
            return try lookUp(TemplateName(digest.template))
        } catch where error.code == .unknownTemplate {
            throw HeraldError(.unknownTemplate, "the digest's template \"\(digest.template)\" does not exist", field: "digest.template")
        }
    }

    /// The topic whose route the targets come from, for its throttle.
    func routedTopic(of request: NotificationRequest) -> Topic? {
        route == nil ? nil : request.topic
    }
}
