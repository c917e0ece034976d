public import Foundation

extension NotificationRequest {
    /// The fields a JSON request may carry; anything else is rejected with `unknown_field`.
    public static let acceptedFields: Set<String> = [
        "topic", "message", "description", "subject", "user_id", "channel", "channels", "template", "data",
        "priority", "collapse_key", "send_at", "delay_s", "dedupe_key", "dedupe_window_s", "critical", "fallback",
    ]

    /// Decodes a request body strictly: unknown fields, wrong types and conflicting aliases are errors.
    ///
    /// `description` is accepted as an alias of `message` (the seed bot's shape), `channel` as a
    /// one-element `channels`, and `user_id` may be a string or an integer. `null` means absent.
    /// - Throws: ``HeraldError`` with `invalid_json`, `unknown_field` or `invalid_value`.
    public init(json data: Data) throws(HeraldError) {
        try self.init(jsonObject: try JSONValue.parseObject(data))
    }

    /// Decodes a request from an already parsed JSON object; see ``init(json:)``.
    public init(jsonObject object: [String: JSONValue]) throws(HeraldError) {
        if let unknown = object.keys.sorted().first(where: { !Self.acceptedFields.contains($0) }) {
            throw HeraldError(.unknownField, "unknown field \"\(unknown)\"", field: unknown)
        }
        let fields = JSONFields(object)
        let message = try fields.string("message")
        let description = try fields.string("description")
        if let message, let description, message != description {
            throw HeraldError(.invalidValue, "give message or description, not both", field: "description")
        }
        let channel = try fields.string("channel")
        let channels = try fields.stringArray("channels")
        if channel != nil, channels != nil {
            throw HeraldError(.invalidValue, "give channel or channels, not both", field: "channels")
        }
        let priorityText = try fields.string("priority")
        let priority = try priorityText.map { text throws(HeraldError) -> NotificationPriority in
            guard let priority = NotificationPriority(rawValue: text) else {
                throw HeraldError(.invalidValue, "priority must be \"normal\" or \"low\"", field: "priority")
            }
            return priority
        }
        let sendAt = try fields.string("send_at").map { text throws(HeraldError) -> Date in
            guard let date = RFC3339.date(from: text) else {
                throw HeraldError(
                    .invalidValue, "send_at must be an RFC 3339 time such as 2026-12-24T18:00:00Z", field: "send_at")
            }
            return date
        }
        let delay = try fields.wholeNumber("delay_s", in: 0...SendTime.maxSecondsAhead)
        if (channel != nil || channels != nil), !(try fields.stringArray("fallback") ?? []).isEmpty {
            throw HeraldError(.invalidValue, "give channels or fallback, not both", field: "fallback")
        }
        if sendAt != nil, delay != nil {
            throw HeraldError(.invalidValue, "give send_at or delay_s, not both", field: "delay_s")
        }
        self.init(
            topic: try fields.string("topic").map(Topic.init(rawValue:)),
            message: message ?? description,
            subject: try fields.string("subject"),
            userID: try fields.identifier("user_id").map(UserID.init(rawValue:)),
            channels: (channel.map { [$0] } ?? channels ?? []).map(ChannelName.init(rawValue:)),
            template: try fields.string("template").map(TemplateName.init(rawValue:)),
            data: try fields.object("data") ?? [:],
            priority: priority ?? .normal,
            collapseKey: try fields.string("collapse_key"),
            sendAt: sendAt,
            delaySeconds: delay,
            dedupeKey: try fields.string("dedupe_key"),
            dedupeWindowSeconds: try fields.wholeNumber("dedupe_window_s", in: 1...Dedupe.maxWindowSeconds),
            critical: try fields.bool("critical") ?? false,
            fallback: (try fields.stringArray("fallback") ?? []).map(ChannelName.init(rawValue:))
        )
    }
}
