/// A configured template: an optional subject and a body, both with placeholders.
public struct MessageTemplate: Hashable, Sendable {
    public var subject: Template?
    public var body: Template

    public init(subject: Template?, body: Template) {
        self.subject = subject
        self.body = body
    }

    /// Parses both parts; errors name `path.subject` or `path.body`.
    public init(subject: String?, body: String, path: String = "template") throws(HeraldError) {
        self.subject = try subject.map { text throws(HeraldError) in
            try Template(parsing: text, field: "\(path).subject")
        }
        self.body = try Template(parsing: body, field: "\(path).body")
    }

    /// Renders subject and body with `data`; see ``Template/render(with:)``.
    public func render(with data: [String: JSONValue]) throws(HeraldError) -> RenderedContent {
        RenderedContent(subject: try subject?.render(with: data), body: try body.render(with: data))
    }
}
