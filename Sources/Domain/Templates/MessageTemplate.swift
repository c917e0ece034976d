/// A parsed template: an optional subject and a body, both with placeholders, and per-channel variants.
public struct MessageTemplate: Hashable, Sendable {
    public var subject: Template?
    public var body: Template
    /// Texts used instead of ``subject``/``body`` on the channels named.
    public var variants: [ChannelName: MessageTemplate]

    public init(subject: Template?, body: Template, variants: [ChannelName: MessageTemplate] = [:]) {
        self.subject = subject
        self.body = body
        self.variants = variants
    }

    /// Parses both parts; errors name `path.subject` or `path.body`.
    public init(subject: String?, body: String, path: String = "template") throws(HeraldError) {
        self.subject = try subject.map { text throws(HeraldError) in
            try Template(parsing: text, field: "\(path).subject")
        }
        self.body = try Template(parsing: body, field: "\(path).body")
        self.variants = [:]
    }

    /// Parses a definition and its variants; errors name `path.body`, `path.channels.sms.body`, …
    public init(_ definition: TemplateDefinition, path: String = "template") throws(HeraldError) {
        try self.init(subject: definition.subject, body: definition.body, path: path)
        for (channel, variant) in definition.channels {
            var parsed = try MessageTemplate(subject: variant.subject, body: variant.body, path: "\(path).channels.\(channel)")
            if parsed.subject == nil { parsed.subject = subject }
            variants[channel] = parsed
        }
    }

    /// Renders subject and body, and each variant, with `data`; see ``Template/render(with:)``.
    public func render(with data: [String: JSONValue]) throws(HeraldError) -> RenderedContent {
        var content = RenderedContent(subject: try subject?.render(with: data), body: try body.render(with: data))
        for (channel, variant) in variants {
            content.variants[channel] = RenderedContent.Text(
                subject: try variant.subject?.render(with: data), body: try variant.body.render(with: data))
        }
        return content
    }
}
