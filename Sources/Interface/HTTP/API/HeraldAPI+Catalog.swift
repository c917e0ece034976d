import Foundation
import HeraldApplication
import HeraldDomain

/// `/v1/topics` and `/v1/templates`: the topics and templates managed at run time (contract §11).
extension HeraldAPI {
    func performCatalog(_ action: APIRoute.Action, _ request: HeraldAPI.Request) async throws -> HeraldAPI.Response {
        let catalog = services.catalog
        switch action {
        case .listTopics:
            let routes = try await catalog.topics.routes()
            let documents = routes.keys.sorted().map { Self.topicDocument($0, routes[$0]!) }
            return .json(200, JSONBody.encode(.object(["topics": .array(documents)])))
        case .topic(let name):
            guard let route = try await catalog.topics.route(for: Topic(name)) else { throw Self.unknown("topic", name) }
            return .json(200, JSONBody.encode(Self.topicDocument(Topic(name), route)))
        case .putTopic(let name):
            let route = try Route(json: try routeBody(request, topic: name))
            try await catalog.setRoute(route, for: Topic(name))
            return .json(200, JSONBody.encode(Self.topicDocument(Topic(name), route)))
        case .deleteTopic(let name):
            guard try await catalog.topics.removeRoute(for: Topic(name)) else { throw Self.unknown("topic", name) }
            return HeraldAPI.Response(status: 204)
        case .listTemplates:
            let templates = try await catalog.templates.templates()
            let documents = templates.keys.sorted().map { Self.templateDocument($0, templates[$0]!) }
            return .json(200, JSONBody.encode(.object(["templates": .array(documents)])))
        case .template(let name):
            guard let template = try await catalog.templates.template(named: TemplateName(name)) else {
                throw Self.unknown("template", name)
            }
            return .json(200, JSONBody.encode(Self.templateDocument(TemplateName(name), template)))
        case .putTemplate(let name):
            let body = try bodyObject(request, naming: "name", as: name)
            let template = try TemplateDefinition(json: .object(body))
            try await catalog.setTemplate(template, named: TemplateName(name))
            return .json(200, JSONBody.encode(Self.templateDocument(TemplateName(name), template)))
        case .deleteTemplate(let name):
            guard try await catalog.templates.removeTemplate(named: TemplateName(name)) else {
                throw Self.unknown("template", name)
            }
            return HeraldAPI.Response(status: 204)
        default:
            throw HeraldError(.notFound, "no route for \(request.method) \(request.path)")
        }
    }

    /// A route body: the object form (`{"channels": [...], ...}`, a `topic` member repeating the path's allowed), or
    /// the array shorthand of `herald.json` (`["slack", "email"]`).
    private func routeBody(_ request: HeraldAPI.Request, topic: String) throws -> JSONValue {
        try Self.checkJSONBody(request.body, contentType: request.header("Content-Type"), maxBodyBytes: maxBodyBytes)
        let body = try JSONValue.parse(Data(request.body))
        guard case .object(var members) = body else { return body }
        try Self.dropRepeatedName(from: &members, field: "topic", as: topic)
        return .object(members)
    }

    /// Removes `field` (as `GET` shows it) from a body, after checking it repeats the path's name.
    private static func dropRepeatedName(from body: inout [String: JSONValue], field: String, as name: String) throws(HeraldError) {
        if let given = body.removeValue(forKey: field), given != .string(name) {
            throw HeraldError(.invalidValue, "\(field) must be \"\(name)\", the name in the path, or absent", field: field)
        }
    }

    /// The body as an object; a `nameField` member (as `GET` shows it) must repeat the path's name and is dropped.
    private func bodyObject(_ request: HeraldAPI.Request, naming nameField: String, as name: String) throws
        -> [String: JSONValue]
    {
        try Self.checkJSONBody(request.body, contentType: request.header("Content-Type"), maxBodyBytes: maxBodyBytes)
        var body = try JSONValue.parseObject(Data(request.body))
        try Self.dropRepeatedName(from: &body, field: nameField, as: name)
        return body
    }

    private static func unknown(_ kind: String, _ name: String) -> HeraldError {
        HeraldError(.notFound, "no \(kind) is called \"\(name)\"", field: kind == "topic" ? "topic" : "name")
    }

    static func topicDocument(_ topic: Topic, _ route: Route) -> JSONValue {
        guard case .object(var members) = route.json else { return route.json }
        members["topic"] = .string(topic.rawValue)
        return .object(members)
    }

    static func templateDocument(_ name: TemplateName, _ template: TemplateDefinition) -> JSONValue {
        guard case .object(var members) = template.json else { return template.json }
        members["name"] = .string(name.rawValue)
        return .object(members)
    }
}
