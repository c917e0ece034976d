/// A template as written (`herald.json`'s `templates`, `PUT /v1/templates/{name}`): a subject, a body, and
/// per-channel variants (`"channels": {"sms": {"body": "…"}}`) used instead of them on those channels.
public struct TemplateDefinition: Hashable, Sendable {
    /// One channel's text; a variant without a subject keeps the template's.
    public struct Variant: Hashable, Sendable {
        public var subject: String?
        public var body: String

        public init(subject: String? = nil, body: String) {
            self.subject = subject
            self.body = body
        }
    }

    public var subject: String?
    public var body: String
    public var channels: [ChannelName: Variant]

    public init(subject: String? = nil, body: String, channels: [ChannelName: Variant] = [:]) {
        self.subject = subject
        self.body = body
        self.channels = channels
    }

    /// The members a template object may have.
    public static let acceptedFields: Set<String> = ["subject", "body", "channels"]

    /// Decodes `{"subject", "body", "channels": {"sms": {"subject", "body"}}}` strictly.
    /// - Throws: `invalid_value` or `unknown_field` naming the member's path under `path`.
    public init(json: JSONValue, path: String = "") throws(HeraldError) {
        guard case .object(let members) = json else {
            throw HeraldError(.invalidValue, "a template must be an object, not \(json.typeName)", field: path.isEmpty ? "body" : path)
        }
        let fields = JSONFields(members, path: path)
        try fields.rejectUnknown(allowing: Self.acceptedFields)
        guard let body = try fields.string("body") else { throw fields.missing("body") }
        var channels: [ChannelName: Variant] = [:]
        for (name, value) in try fields.object("channels") ?? [:] {
            let variantPath = fields.fieldPath("channels.\(name)")
            guard case .object(let variantMembers) = value else {
                throw HeraldError(.invalidValue, "\(variantPath) must be an object, not \(value.typeName)", field: variantPath)
            }
            let variant = JSONFields(variantMembers, path: variantPath)
            try variant.rejectUnknown(allowing: ["subject", "body"])
            guard let variantBody = try variant.string("body") else { throw variant.missing("body") }
            channels[ChannelName(name)] = Variant(subject: try variant.string("subject"), body: variantBody)
        }
        self.init(subject: try fields.string("subject"), body: body, channels: channels)
    }

    /// The template as `GET /v1/templates/{name}` shows it.
    public var json: JSONValue {
        func text(_ subject: String?, _ body: String) -> [String: JSONValue] {
            var members: [String: JSONValue] = ["body": .string(body)]
            if let subject { members["subject"] = .string(subject) }
            return members
        }
        var members = text(subject, body)
        if !channels.isEmpty {
            members["channels"] = .object(Dictionary(uniqueKeysWithValues: channels.map {
                ($0.key.rawValue, JSONValue.object(text($0.value.subject, $0.value.body)))
            }))
        }
        return .object(members)
    }
}
