public import Foundation

/// What a caller asks Herald to send: a message or a template with data, and a target
/// (explicit channels, a routed topic, or a user).
public struct NotificationRequest: Hashable, Sendable, Codable {
    /// What the notification is about; routed to channels when no explicit channel is given.
    public var topic: Topic?
    /// The message text (the seed bot's `description`). Either this or ``template``.
    public var message: String?
    /// A subject line for channels that have one (email); must not contain CR or LF.
    public var subject: String?
    /// The recipient, resolved to contacts and preferences by the user service.
    public var userID: UserID?
    /// Explicit channels; when present they win over the topic's route and the user's preference.
    public var channels: [ChannelName]
    /// A configured template to render instead of ``message``.
    public var template: TemplateName?
    /// The values a template's `{{placeholders}}` refer to, and a push channel's custom payload.
    public var data: [String: JSONValue]
    /// How urgently push channels ask their provider to deliver it (`"low"`: APNs priority 5).
    public var priority: NotificationPriority
    /// Lets a push provider replace an earlier notification with the same key (`apns-collapse-id`, at most
    /// 64 bytes).
    public var collapseKey: String?
    /// Deliver at this time instead of now (`send_at`, RFC 3339); at most 366 days ahead.
    public var sendAt: Date?
    /// Deliver this many seconds after acceptance instead of now (`delay_s`); exclusive with ``sendAt``.
    public var delaySeconds: Int?
    /// Sends nothing when a request with the same key was accepted within ``dedupeWindowSeconds``
    /// (`dedupe_key`): unlike an `Idempotency-Key`, the bodies may differ.
    public var dedupeKey: String?
    /// How long a `dedupe_key` holds, in seconds (`dedupe_window_s`, default 3600).
    public var dedupeWindowSeconds: Int?
    /// Reaches the user despite topic mutes and per-topic opt-outs (`critical`); never despite a channel opt-out.
    public var critical: Bool
    /// A fallback chain instead of ``channels``: the first is tried, the next queued only when it fails or the user
    /// has no contact for it.
    public var fallback: [ChannelName]

    public init(
        topic: Topic? = nil,
        message: String? = nil,
        subject: String? = nil,
        userID: UserID? = nil,
        channels: [ChannelName] = [],
        template: TemplateName? = nil,
        data: [String: JSONValue] = [:],
        priority: NotificationPriority = .normal,
        collapseKey: String? = nil,
        sendAt: Date? = nil,
        delaySeconds: Int? = nil,
        dedupeKey: String? = nil,
        dedupeWindowSeconds: Int? = nil,
        critical: Bool = false,
        fallback: [ChannelName] = []
    ) {
        self.fallback = fallback
        self.critical = critical
        self.dedupeKey = dedupeKey
        self.dedupeWindowSeconds = dedupeWindowSeconds
        self.sendAt = sendAt
        self.delaySeconds = delaySeconds
        self.priority = priority
        self.collapseKey = collapseKey
        self.topic = topic
        self.message = message
        self.subject = subject
        self.userID = userID
        self.channels = channels
        self.template = template
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case topic, message, subject, channels, template, data, priority
        case userID = "user_id"
        case collapseKey = "collapse_key"
        case sendAt = "send_at"
        case delaySeconds = "delay_s"
        case dedupeKey = "dedupe_key"
        case dedupeWindowSeconds = "dedupe_window_s"
        case critical, fallback
    }

    /// Decodes the canonical form (absent `channels` and `data` mean empty). For request bodies use
    /// ``init(json:)``, which also knows the aliases and rejects unknown fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            topic: try container.decodeIfPresent(Topic.self, forKey: .topic),
            message: try container.decodeIfPresent(String.self, forKey: .message),
            subject: try container.decodeIfPresent(String.self, forKey: .subject),
            userID: try container.decodeIfPresent(UserID.self, forKey: .userID),
            channels: try container.decodeIfPresent([ChannelName].self, forKey: .channels) ?? [],
            template: try container.decodeIfPresent(TemplateName.self, forKey: .template),
            data: try container.decodeIfPresent([String: JSONValue].self, forKey: .data) ?? [:],
            priority: try container.decodeIfPresent(NotificationPriority.self, forKey: .priority) ?? .normal,
            collapseKey: try container.decodeIfPresent(String.self, forKey: .collapseKey),
            sendAt: try container.decodeIfPresent(Date.self, forKey: .sendAt),
            delaySeconds: try container.decodeIfPresent(Int.self, forKey: .delaySeconds),
            dedupeKey: try container.decodeIfPresent(String.self, forKey: .dedupeKey),
            dedupeWindowSeconds: try container.decodeIfPresent(Int.self, forKey: .dedupeWindowSeconds),
            critical: try container.decodeIfPresent(Bool.self, forKey: .critical) ?? false,
            fallback: try container.decodeIfPresent([ChannelName].self, forKey: .fallback) ?? [])
    }
}
