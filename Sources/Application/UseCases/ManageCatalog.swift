public import HeraldDomain

/// Reads and changes the topics and templates managed at run time, validating changes as `herald.json` is
/// validated: known channels, templates that parse, a digest's template that exists.
public struct ManageCatalog: Sendable {
    public let topics: any TopicStore
    public let templates: any TemplateStore
    private let channels: Set<ChannelName>

    public init(topics: any TopicStore, templates: any TemplateStore, channels: Set<ChannelName>) {
        self.topics = topics
        self.templates = templates
        self.channels = channels
    }

    /// The longest topic or template name: 200 bytes.
    public static let maxNameBytes = 200

    /// Stores `route` for `topic`.
    /// - Throws: `invalid_value` for a bad name (field `topic`), `unknown_channel` naming `channels[i]` or
    ///   `fallback[i]`, `unknown_template` (field `digest.template`), or the parse error of an inline digest template.
    public func setRoute(_ route: Route, for topic: Topic) async throws {
        try Self.requireName(topic.rawValue, field: "topic")
        if let (field, channel) = route.unknownChannel(among: channels) {
            throw HeraldError(.unknownChannel, "channel \"\(channel)\" is not configured", field: field)
        }
        if let digest = route.digest {
            if digest.isInlineTemplate {
                _ = try Template(parsing: digest.template, field: "digest.template")
            } else if try await templates.template(named: TemplateName(digest.template)) == nil {
                throw HeraldError(.unknownTemplate, "no template is called \"\(digest.template)\"", field: "digest.template")
            }
        }
        try await topics.setRoute(route, for: topic)
    }

    /// Stores `template` as `name`.
    /// - Throws: `invalid_value` for a bad name (field `name`) or a template that does not parse (field `body`,
    ///   `subject`, `channels.<channel>.body`), `unknown_channel` for a variant of an unknown channel.
    public func setTemplate(_ template: TemplateDefinition, named name: TemplateName) async throws {
        try Self.requireName(name.rawValue, field: "name")
        for channel in template.channels.keys.sorted() where !channels.contains(channel) {
            throw HeraldError(.unknownChannel, "channel \"\(channel)\" is not configured", field: "channels.\(channel)")
        }
        do {
            _ = try MessageTemplate(template, path: "")
        } catch {
            // Parsed with an empty path, the fields read ".body", ".channels.sms.body": drop the leading dot.
            throw HeraldError(error.code, error.message.droppingLeadingDot, field: error.field?.droppingLeadingDot)
        }
        try await templates.setTemplate(template, named: name)
    }

    /// Parses a stored template for sending; errors name `template`.
    public static func parse(_ definition: TemplateDefinition, named name: TemplateName) throws(HeraldError) -> MessageTemplate {
        try MessageTemplate(definition, path: "templates.\(name)")
    }

    private static func requireName(_ name: String, field: String) throws(HeraldError) {
        guard !name.isEmpty, name.utf8.count <= maxNameBytes, !name.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
        else {
            throw HeraldError(
                .invalidValue, "\(field) must be 1 to \(maxNameBytes) bytes without control characters", field: field)
        }
    }
}

extension String {
    fileprivate var droppingLeadingDot: String { hasPrefix(".") ? String(dropFirst()) : self }
}
