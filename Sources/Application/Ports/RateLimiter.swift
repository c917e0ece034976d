public import HeraldDomain

/// Enforces channels' rate limits across every worker that shares the limiter (on Redis: every process).
public protocol RateLimiter: Sendable {
    /// Takes one send from `channel`'s bucket. Returns nil when the send may go now, or how long to wait for
    /// the send slot taken (the caller then sends after the wait without asking again).
    func acquire(_ channel: ChannelName, limit: RateLimit) async throws -> Duration?
}
