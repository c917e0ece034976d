/// What a person wants: the channel to use when nothing else decides, and topics not to hear about.
public struct UserPreferences: Hashable, Sendable, Codable {
    /// The channel used when a request names neither channels nor a routed topic.
    public var preferredChannel: ChannelName?
    /// Topics whose routed deliveries are skipped for this user.
    public var mutedTopics: Set<Topic>

    public init(preferredChannel: ChannelName? = nil, mutedTopics: Set<Topic> = []) {
        self.preferredChannel = preferredChannel
        self.mutedTopics = mutedTopics
    }
}
