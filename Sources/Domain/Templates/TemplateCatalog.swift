/// The configured templates by name.
public struct TemplateCatalog: Hashable, Sendable {
    public var templates: [TemplateName: MessageTemplate]

    public init(_ templates: [TemplateName: MessageTemplate] = [:]) {
        self.templates = templates
    }

    /// The template called `name`.
    /// - Throws: `unknown_template` (field `template`).
    public func template(named name: TemplateName) throws(HeraldError) -> MessageTemplate {
        guard let template = templates[name] else {
            throw HeraldError(.unknownTemplate, "no template is called \"\(name)\"", field: "template")
        }
        return template
    }
}
