/// A notification's text after its template (if any) was rendered; rendered once, at accept time,
/// so missing data is an error for the caller and never a blank in a sent message. It also keeps what push
/// channels send beside the text: the request's `data`, its priority and collapse key.
public struct RenderedContent: Hashable, Sendable, Codable {
    /// The subject line, for channels that have one.
    public var subject: String?
    /// The message body.
    public var body: String
    /// The request's `data`: a push channel's custom payload.
    public var data: [String: JSONValue]
    /// How urgently push channels ask their provider to deliver it.
    public var priority: NotificationPriority
    /// Lets a push provider replace an earlier notification with the same key.
    public var collapseKey: String?
    /// Per-channel texts of a template with variants, used instead of ``subject`` and ``body`` on those channels.
    public var variants: [ChannelName: Text] = [:]

    /// One channel's rendered text.
    public struct Text: Hashable, Sendable, Codable {
        public var subject: String?
        public var body: String

        public init(subject: String?, body: String) {
            self.subject = subject
            self.body = body
        }
    }

    /// The subject and body `channel` sends: its variant's, else the notification's.
    public func text(for channel: ChannelName) -> Text {
        variants[channel] ?? Text(subject: subject, body: body)
    }

    public init(
        subject: String?, body: String, data: [String: JSONValue] = [:], priority: NotificationPriority = .normal,
        collapseKey: String? = nil
    ) {
        self.subject = subject
        self.body = body
        self.data = data
        self.priority = priority
        self.collapseKey = collapseKey
    }

    enum CodingKeys: String, CodingKey {
        case subject, body, data, priority, collapseKey, variants
    }

    /// Decodes content; the push fields absent from older payloads take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            subject: try container.decodeIfPresent(String.self, forKey: .subject),
            body: try container.decode(String.self, forKey: .body),
            data: try container.decodeIfPresent([String: JSONValue].self, forKey: .data) ?? [:],
            priority: try container.decodeIfPresent(NotificationPriority.self, forKey: .priority) ?? .normal,
            collapseKey: try container.decodeIfPresent(String.self, forKey: .collapseKey))
        variants = try container.decodeIfPresent([ChannelName: Text].self, forKey: .variants) ?? [:]
    }
}

/// How urgently a notification should reach a device (`"priority"` in a request).
public enum NotificationPriority: String, Hashable, Sendable, Codable, CaseIterable {
    /// Delivered at once (APNs priority 10, FCM high).
    case normal
    /// May be delayed to save the device's power (APNs priority 5, FCM normal).
    case low
}
