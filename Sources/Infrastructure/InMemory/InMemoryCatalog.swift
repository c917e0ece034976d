public import HeraldApplication
public import HeraldDomain
import Synchronization

/// The topics and templates managed at run time, in this process's memory (the memory queue's companion):
/// starts from the configuration's entries; changes last until the process exits.
public final class InMemoryCatalog: TopicStore, TemplateStore {
    private struct Entries {
        var routes: [Topic: Route]
        var templates: [TemplateName: TemplateDefinition]
    }

    private let entries: Mutex<Entries>

    public init(routes: [Topic: Route] = [:], templates: [TemplateName: TemplateDefinition] = [:]) {
        entries = Mutex(Entries(routes: routes, templates: templates))
    }

    public func route(for topic: Topic) async throws -> Route? { entries.withLock { $0.routes[topic] } }

    public func routes() async throws -> [Topic: Route] { entries.withLock { $0.routes } }

    public func setRoute(_ route: Route, for topic: Topic) async throws { entries.withLock { $0.routes[topic] = route } }

    public func removeRoute(for topic: Topic) async throws -> Bool {
        entries.withLock { $0.routes.removeValue(forKey: topic) != nil }
    }

    public func template(named name: TemplateName) async throws -> TemplateDefinition? {
        entries.withLock { $0.templates[name] }
    }

    public func templates() async throws -> [TemplateName: TemplateDefinition] { entries.withLock { $0.templates } }

    public func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws {
        entries.withLock { $0.templates[name] = template }
    }

    public func removeTemplate(named name: TemplateName) async throws -> Bool {
        entries.withLock { $0.templates.removeValue(forKey: name) != nil }
    }
}
