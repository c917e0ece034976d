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

    /// The state of a bucket after taking one token at `now` (seconds on any monotonic scale). The token is
    /// always taken: an empty bucket goes into debt, and the wait returned is when this token falls due (zero
    /// when it was there). So the k-th sender in line waits k / ``perSecond`` and is told once, instead of
    /// every waiter asking again at the next refill.
    public func take(from bucket: (tokens: Double, at: Double)?, now: Double) -> (bucket: (tokens: Double, at: Double), wait: Double) {
        let capacity = Double(burst)
        let tokens = (bucket.map { min(capacity, $0.tokens + max(0, now - $0.at) * perSecond) } ?? capacity) - 1
        return ((tokens, now), tokens >= 0 ? 0 : -tokens / perSecond)
    }
}
