/// What a digest notification has collected: how many requests joined it and (up to ``maxItems``) their items,
/// the `{{#items}}` of its template.
public struct DigestContents: Hashable, Sendable, Codable {
    public var count: Int
    public var items: [JSONValue]

    /// The most items kept for the template; `{{count}}` counts on past it.
    public static let maxItems = 100

    public init(count: Int = 0, items: [JSONValue] = []) {
        self.count = count
        self.items = items
    }

    /// The contents with one more request's item.
    public func adding(_ item: JSONValue) -> DigestContents {
        DigestContents(count: count + 1, items: items.count < Self.maxItems ? items + [item] : items)
    }

    /// A request's item: its `data`'s members, with `message` (the text it would have sent alone), `subject` and
    /// `dedupe_key` when it has them.
    public static func item(for request: NotificationRequest, content: RenderedContent) -> JSONValue {
        var members = request.data
        members["message"] = .string(content.body)
        if let subject = content.subject { members["subject"] = .string(subject) }
        if let key = request.dedupeKey { members["dedupe_key"] = .string(key) }
        return .object(members)
    }

    /// Whether an item with this `dedupe_key` was collected already.
    public func holds(dedupeKey: String) -> Bool {
        items.contains { $0.value(atPath: "dedupe_key") == .string(dedupeKey) }
    }

    /// The digest's message: `template` rendered with `count`, `items`, `topic` and `user_id`; the missing-data rule
    /// of every template holds, so an item without what the template needs is refused when it joins.
    public func render(with template: MessageTemplate, topic: Topic, user: UserID) throws(HeraldError) -> RenderedContent {
        try template.render(with: [
            "count": .number(Double(count)), "items": .array(items), "topic": .string(topic.rawValue),
            "user_id": .string(user.rawValue),
        ])
    }

    /// The contents as stored: `{"count": n, "items": [...]}`.
    public var json: JSONValue { .object(["count": .number(Double(count)), "items": .array(items)]) }

    /// Reads the stored form back; nil when it is not that shape.
    public init?(json: JSONValue) {
        guard case .object(let members) = json, case .number(let count)? = members["count"],
            case .array(let items)? = members["items"]
        else { return nil }
        self.init(count: Int(count), items: items)
    }

    /// The key of the digest of `topic` for `user` (at most one open at a time).
    public static func key(topic: Topic, user: UserID) -> String { "\(topic)|\(user)" }
}
