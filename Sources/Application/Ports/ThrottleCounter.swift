public import HeraldDomain

/// Counts notifications per user for throttles, shared by every process that shares the counter (on Redis: all).
public protocol ThrottleCounter: Sendable {
    /// Counts one more under `key` unless `throttle.limit` were counted within the last `throttle.window`;
    /// returns whether this one was admitted (and counted).
    func admit(_ key: String, under throttle: Throttle) async throws -> Bool
}
