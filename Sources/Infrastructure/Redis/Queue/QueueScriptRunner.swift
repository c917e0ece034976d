import Foundation

/// Runs the queue's Lua scripts: to completion even if the caller is cancelled (every queue transition must be
/// known to have happened or not: a settle lost to cancellation would strand or resend a unit), with the time
/// override of tests that move time by hand as the last argument.
struct QueueScriptRunner: Sendable {
    let client: RedisClient
    let serverTimeOverride: (@Sendable () -> Date)?

    func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RESPValue {
        try await client.evaluate(
            script, keys: keys,
            arguments: arguments + [serverTimeOverride.map { String(RedisCodec.milliseconds($0())) } ?? ""],
            cancellable: false)
    }

    /// Runs `script`, then `WAIT replicas timeout` on its connection; returns the reply and how many replicas hold it.
    func run(_ script: RedisScript, keys: [String], arguments: [String], waitingFor replicas: Int, timeout: Duration)
        async throws -> (reply: RESPValue, acknowledged: Int)
    {
        try await client.evaluate(
            script, keys: keys,
            arguments: arguments + [serverTimeOverride.map { String(RedisCodec.milliseconds($0())) } ?? ""],
            waitingFor: replicas, timeout: timeout)
    }
}
