public import Foundation

/// What a person wants: the channel to use when nothing else decides, topics not to hear about, and channels
/// (overall, or per topic) not to be reached on.
public struct UserPreferences: Hashable, Sendable, Codable {
    /// The channel used when a request names neither channels nor a routed topic.
    public var preferredChannel: ChannelName?
    /// Topics whose routed deliveries are skipped for this user (shorthand for opting out of a topic everywhere).
    public var mutedTopics: Set<Topic>
    /// Channels the user opted out of (`"channels": {"sms": false}`): nothing is sent there, critical or not.
    public var channelOptOuts: Set<ChannelName>
    /// Per topic, the channels the user opted out of (`"topics": {"pricing": {"email": false}}`).
    public var topicOptOuts: [Topic: Set<ChannelName>]
    /// The user's IANA time zone (`timezone`, `Europe/Berlin`); quiet hours are read in it (UTC when absent).
    public var timeZone: String?
    /// When non-critical deliveries wait until the window ends (`quiet_hours`).
    public var quietHours: QuietHours?

    public init(
        preferredChannel: ChannelName? = nil, mutedTopics: Set<Topic> = [], channelOptOuts: Set<ChannelName> = [],
        topicOptOuts: [Topic: Set<ChannelName>] = [:], timeZone: String? = nil, quietHours: QuietHours? = nil
    ) {
        self.timeZone = timeZone
        self.quietHours = quietHours
        self.preferredChannel = preferredChannel
        self.mutedTopics = mutedTopics
        self.channelOptOuts = channelOptOuts
        self.topicOptOuts = topicOptOuts.filter { !$0.value.isEmpty }
    }

    /// Why a delivery on `channel` is skipped, or nil when it goes out. A channel opt-out always holds; the topic's
    /// mute and its per-channel opt-outs hold for routed deliveries (`byTopic`) unless the request is critical.
    public func skipReason(channel: ChannelName, topic: Topic?, byTopic: Bool, critical: Bool) -> String? {
        if channelOptOuts.contains(channel) { return "the user opted out of \(channel)" }
        guard byTopic, !critical, let topic else { return nil }
        if mutedTopics.contains(topic) { return "the user muted topic \(topic)" }
        if topicOptOuts[topic]?.contains(channel) == true { return "the user opted out of \(topic) on \(channel)" }
        return nil
    }

    /// Every channel these preferences name, with the JSON path naming it (to check they are configured).
    public var namedChannels: [(channel: ChannelName, field: String)] {
        var named: [(ChannelName, String)] = preferredChannel.map { [($0, "preferred_channel")] } ?? []
        named += channelOptOuts.sorted().map { ($0, "preferences.channels.\($0)") }
        for (topic, channels) in topicOptOuts.sorted(by: { $0.key < $1.key }) {
            named += channels.sorted().map { ($0, "preferences.topics.\(topic).\($0)") }
        }
        return named
    }

    enum CodingKeys: String, CodingKey {
        case preferredChannel, mutedTopics, channelOptOuts, topicOptOuts, timeZone, quietHours
    }

    /// When a non-critical delivery due at `instant` may go: nil for at once, else the end of the quiet hours it
    /// falls in, in the user's time zone.
    public func quietHoursEnd(at instant: Date) -> Date? {
        guard let quietHours else { return nil }
        let zone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        return quietHours.end(ofWindowAt: instant, in: zone)
    }

    /// Checks a time zone name against the OS's time zone data.
    /// - Throws: `invalid_value` naming `field`.
    public static func validate(timeZone name: String, field: String) throws(HeraldError) {
        guard !name.isEmpty, name.utf8.count <= 64, TimeZone(identifier: name) != nil else {
            throw HeraldError(.invalidValue, "\(field) must be an IANA time zone such as Europe/Berlin", field: field)
        }
    }

    /// Decodes preferences; the opt-outs are absent from those stored before they existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            preferredChannel: try container.decodeIfPresent(ChannelName.self, forKey: .preferredChannel),
            mutedTopics: try container.decodeIfPresent(Set<Topic>.self, forKey: .mutedTopics) ?? [],
            channelOptOuts: try container.decodeIfPresent(Set<ChannelName>.self, forKey: .channelOptOuts) ?? [],
            topicOptOuts: try container.decodeIfPresent([Topic: Set<ChannelName>].self, forKey: .topicOptOuts) ?? [:],
            timeZone: try container.decodeIfPresent(String.self, forKey: .timeZone),
            quietHours: try container.decodeIfPresent(QuietHours.self, forKey: .quietHours))
    }
}

extension UserPreferences {
    /// Reads the `preferences` object of a user, `{"channels": {name: bool}, "topics": {topic: {name: bool}}}`,
    /// strictly (unknown keys and non-booleans are errors naming their path under `field`); `false` opts out,
    /// `true` is the default and opts back in.
    public static func optOuts(from value: JSONValue, field: String) throws(HeraldError)
        -> (channels: Set<ChannelName>, topics: [Topic: Set<ChannelName>])
    {
        guard case .object(let members) = value else {
            throw HeraldError(.invalidValue, "\(field) must be an object", field: field)
        }
        if let unknown = members.keys.sorted().first(where: { $0 != "channels" && $0 != "topics" }) {
            throw HeraldError(.unknownField, "unknown field \"\(unknown)\" in \(field)", field: "\(field).\(unknown)")
        }
        let channels = try switches(members["channels"], field: "\(field).channels")
        var topics: [Topic: Set<ChannelName>] = [:]
        if let topicsValue = members["topics"], topicsValue != .null {
            guard case .object(let perTopic) = topicsValue else {
                throw HeraldError(.invalidValue, "\(field).topics must be an object", field: "\(field).topics")
            }
            for (topic, value) in perTopic.sorted(by: { $0.key < $1.key }) {
                guard !topic.isEmpty else {
                    throw HeraldError(.invalidValue, "a topic name must not be empty", field: "\(field).topics")
                }
                topics[Topic(rawValue: topic)] = try switches(value, field: "\(field).topics.\(topic)")
            }
        }
        return (channels, topics.filter { !$0.value.isEmpty })
    }

    /// The channels switched off in a `{name: bool}` object.
    private static func switches(_ value: JSONValue?, field: String) throws(HeraldError) -> Set<ChannelName> {
        guard let value, value != .null else { return [] }
        guard case .object(let members) = value else {
            throw HeraldError(.invalidValue, "\(field) must be an object of channel names to true or false", field: field)
        }
        var off: Set<ChannelName> = []
        for (name, flag) in members {
            guard case .bool(let on) = flag else {
                throw HeraldError(.invalidValue, "\(field).\(name) must be true or false", field: "\(field).\(name)")
            }
            if !on { off.insert(ChannelName(rawValue: name)) }
        }
        return off
    }

    /// The `preferences` object these opt-outs read back as (only the switched-off channels).
    public var optOutsJSON: JSONValue {
        .object([
            "channels": .object(Dictionary(uniqueKeysWithValues: channelOptOuts.map { ($0.rawValue, JSONValue.bool(false)) })),
            "topics": .object(Dictionary(uniqueKeysWithValues: topicOptOuts.map { topic, channels in
                (topic.rawValue, JSONValue.object(Dictionary(uniqueKeysWithValues: channels.map { ($0.rawValue, .bool(false)) })))
            })),
        ])
    }
}
