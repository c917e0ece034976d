/// How one topic is delivered: its channels (all at once, or as a fallback chain), and its per-user throttle
/// and digest, if any (`"routes": {"alerts": {"fallback": ["push", "sms"], "throttle": {...}}}`).
public struct Route: Hashable, Sendable {
    public var channels: [ChannelName]
    /// Whether ``channels`` are tried one after the other, the next only when one fails or cannot reach the user.
    public var isFallback: Bool
    public var throttle: Throttle?
    public var digest: Digest?

    public init(channels: [ChannelName], isFallback: Bool = false, throttle: Throttle? = nil, digest: Digest? = nil) {
        self.channels = channels
        self.isFallback = isFallback
        self.throttle = throttle
        self.digest = digest
    }
}
