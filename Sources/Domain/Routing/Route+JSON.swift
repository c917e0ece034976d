extension Route: ExpressibleByArrayLiteral {
    /// A route sending every channel at once: `["slack", "email"]`.
    public init(arrayLiteral channels: ChannelName...) {
        self.init(channels: channels)
    }
}

extension Route {
    /// The members a route object may have.
    public static let acceptedFields: Set<String> = ["channels", "fallback", "throttle", "digest"]

    /// Decodes a route as `herald.json` and `PUT /v1/topics/{topic}` write it: an array of channel names, or an
    /// object with `channels` or `fallback` (one of them) and optional `throttle` and `digest`. Channel names are
    /// not checked against the configured channels here (see ``unknownChannel(among:)``).
    /// - Throws: `invalid_value` or `unknown_field` naming the member's path under `path`.
    public init(json: JSONValue, path: String = "") throws(HeraldError) {
        let here = path.isEmpty ? "route" : path
        switch json {
        case .array(let elements):
            var names: [ChannelName] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let name) = element else {
                    let field = "\(path.isEmpty ? "channels" : path)[\(index)]"
                    throw HeraldError(.invalidValue, "\(field) must be a string, not \(element.typeName)", field: field)
                }
                names.append(ChannelName(name))
            }
            guard !names.isEmpty else {
                let field = path.isEmpty ? "channels" : path
                throw HeraldError(.invalidValue, "\(field) must name at least one channel", field: field)
            }
            self.init(channels: names)
        case .object(let members):
            let fields = JSONFields(members, path: path)
            try fields.rejectUnknown(allowing: Self.acceptedFields)
            let channels = try Self.channels(fields, "channels", path: path)
            let fallback = try Self.channels(fields, "fallback", path: path)
            guard (channels == nil) != (fallback == nil) else {
                throw HeraldError(
                    .invalidValue, "\(here) must have channels or fallback (one of them)",
                    field: fields.fieldPath(channels == nil ? "channels" : "fallback"))
            }
            self.init(
                channels: channels ?? fallback ?? [], isFallback: fallback != nil,
                throttle: try fields.object("throttle").map { members throws(HeraldError) in
                    try Throttle(json: members, path: fields.fieldPath("throttle"))
                },
                digest: try fields.object("digest").map { members throws(HeraldError) in
                    try Self.digest(JSONFields(members, path: fields.fieldPath("digest")))
                })
        default:
            throw HeraldError(
                .invalidValue, "\(here) must be an array of channels or an object, not \(json.typeName)",
                field: path.isEmpty ? "channels" : path)
        }
    }

    /// The route as `GET /v1/topics/{topic}` shows it (the object form).
    public var json: JSONValue {
        var members: [String: JSONValue] = [isFallback ? "fallback" : "channels": .array(channels.map { .string($0.rawValue) })]
        if let throttle {
            members["throttle"] = .object([
                "limit": .number(Double(throttle.limit)), "window_s": .number(Double(throttle.window.components.seconds)),
            ])
        }
        if let digest {
            members["digest"] = .object([
                "window_s": .number(Double(digest.window.components.seconds)), "template": .string(digest.template),
            ])
        }
        return .object(members)
    }

    /// The first channel (its field, relative to the route, and name) that `known` lacks, if any.
    public func unknownChannel(among known: Set<ChannelName>) -> (field: String, channel: ChannelName)? {
        guard let index = channels.firstIndex(where: { !known.contains($0) }) else { return nil }
        return ("\(isFallback ? "fallback" : "channels")[\(index)]", channels[index])
    }

    private static func channels(_ fields: JSONFields, _ name: String, path: String) throws(HeraldError) -> [ChannelName]? {
        guard let names = try fields.stringArray(name) else { return nil }
        guard !names.isEmpty else {
            throw HeraldError(.invalidValue, "\(fields.fieldPath(name)) must name at least one channel", field: fields.fieldPath(name))
        }
        return names.map(ChannelName.init(rawValue:))
    }

    private static func digest(_ fields: JSONFields) throws(HeraldError) -> Digest {
        try fields.rejectUnknown(allowing: ["window_s", "template"])
        guard let window = try fields.wholeNumber("window_s", in: 1...Digest.maxWindowSeconds) else {
            throw missing(fields, "window_s")
        }
        guard let template = try fields.string("template") else { throw missing(fields, "template") }
        guard !template.isEmpty else {
            throw HeraldError(.invalidValue, "\(fields.fieldPath("template")) must not be empty", field: fields.fieldPath("template"))
        }
        return Digest(window: .seconds(window), template: template)
    }

    private static func missing(_ fields: JSONFields, _ name: String) -> HeraldError {
        fields.missing(name)
    }
}

extension Throttle {
    /// Decodes `{"limit": 5, "window_s": 3600}` (limit 1 to 1,000,000; window up to 366 days).
    /// - Throws: `invalid_value` or `unknown_field` naming the member's path under `path`.
    public init(json members: [String: JSONValue], path: String) throws(HeraldError) {
        let fields = JSONFields(members, path: path)
        try fields.rejectUnknown(allowing: ["limit", "window_s"])
        guard let limit = try fields.wholeNumber("limit", in: 1...1_000_000) else { throw fields.missing("limit") }
        guard let window = try fields.wholeNumber("window_s", in: 1...31_622_400) else { throw fields.missing("window_s") }
        self.init(limit: limit, window: .seconds(window))
    }
}
