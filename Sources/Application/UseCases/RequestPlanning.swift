public import HeraldDomain

/// What one request is planned with: the configuration's routes, templates and throttles, or, when topics and
/// templates are managed at run time, their state at this moment (read per request, so a change made by any
/// process applies to the next request everywhere).
public struct RequestPlanning: Sendable {
    public var planner: NotificationPlanner
    public var throttles: ThrottleRules
    /// The topic's route, when the request is routed by topic.
    public var route: Route?

    /// The planning of `request`: `planner` and `throttles` as they are, or with the route of the request's topic
    /// and its template taken from `catalog`.
    static func of(
        _ request: NotificationRequest, planner: NotificationPlanner, throttles: ThrottleRules, catalog: ManageCatalog?
    ) async throws -> RequestPlanning {
        let routedTopic = request.channels.isEmpty && request.fallback.isEmpty ? request.topic : nil
        guard let catalog else {
            return RequestPlanning(
                planner: planner, throttles: throttles, route: routedTopic.flatMap(planner.resolver.routes.route(for:)))
        }
        var planning = RequestPlanning(planner: planner, throttles: throttles, route: nil)
        if let topic = routedTopic {
            planning.route = try await catalog.topics.route(for: topic)
            planning.planner.resolver.routes = RoutingTable(routes: planning.route.map { [topic: $0] } ?? [:])
            planning.throttles.routes = planning.route?.throttle.map { [topic: $0] } ?? [:]
        }
        if let name = request.template {
            let definition = try await catalog.templates.template(named: name)
            planning.planner.templates = TemplateCatalog(
                try definition.map { definition throws(HeraldError) in [name: try ManageCatalog.parse(definition, named: name)] } ?? [:])
        }
        return planning
    }

    /// The topic whose route the targets come from, for its throttle.
    func routedTopic(of request: NotificationRequest) -> Topic? {
        route == nil ? nil : request.topic
    }
}
