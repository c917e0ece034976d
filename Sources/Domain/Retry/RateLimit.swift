/// How fast a channel may send, shared by every worker: a token bucket refilled at ``perSecond`` that
/// holds at most ``burst`` tokens.
public struct RateLimit: Hashable, Sendable {
    /// Sustained sends per second (may be fractional: 0.5 is one send every two seconds).
    public var perSecond: Double
    /// Sends allowed at once after a quiet period.
    public var burst: Int

    public init(perSecond: Double, burst: Int = 1) {
        self.perSecond = perSecond
        self.burst = max(1, burst)
    }

    /// The state of a bucket after asking for one token at `now` (seconds on any monotonic scale).
    /// Returns the new bucket and the wait before a token is available (zero when one was taken).
    public func take(from bucket: (tokens: Double, at: Double)?, now: Double) -> (bucket: (tokens: Double, at: Double), wait: Double) {
        let capacity = Double(burst)
        var tokens = bucket.map { min(capacity, $0.tokens + max(0, now - $0.at) * perSecond) } ?? capacity
        if tokens >= 1 {
            tokens -= 1
            return ((tokens, now), 0)
        }
        return ((tokens, now), (1 - tokens) / perSecond)
    }
}
