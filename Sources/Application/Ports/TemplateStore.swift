public import HeraldDomain

/// The templates managed at run time (`/v1/templates`), seeded from the configuration; on Redis shared by every
/// process, so a change is seen by the next request anywhere.
public protocol TemplateStore: Sendable {
    /// The template called `name`, as written, or nil.
    func template(named name: TemplateName) async throws -> TemplateDefinition?
    /// Every template.
    func templates() async throws -> [TemplateName: TemplateDefinition]
    /// Stores `template` as `name`, replacing any template of that name.
    func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws
    /// Removes the template `name`; returns whether there was one.
    func removeTemplate(named name: TemplateName) async throws -> Bool
}
