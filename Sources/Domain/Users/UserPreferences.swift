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

    public init(
        preferredChannel: ChannelName? = nil, mutedTopics: Set<Topic> = [], channelOptOuts: Set<ChannelName> = [],
        topicOptOuts: [Topic: Set<ChannelName>] = [:]
    ) {
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
        case preferredChannel, mutedTopics, channelOptOuts, topicOptOuts
    }

    /// Decodes preferences; the opt-outs are absent from those stored before they existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            preferredChannel: try container.decodeIfPresent(ChannelName.self, forKey: .preferredChannel),
            mutedTopics: try container.decodeIfPresent(Set<Topic>.self, forKey: .mutedTopics) ?? [],
            channelOptOuts: try container.decodeIfPresent(Set<ChannelName>.self, forKey: .channelOptOuts) ?? [],
            topicOptOuts: try container.decodeIfPresent([Topic: Set<ChannelName>].self, forKey: .topicOptOuts) ?? [:])
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
