import Foundation
import Synchronization

/// Estimates Redis's clock (`TIME`) from this process, for the one value a caller must state in Redis time:
/// the deadline of an accept. The offset is measured over one round trip, taking the midpoint, and
/// re-measured every ``refreshInterval``.
final class RedisServerClock: Sendable {
    private struct Estimate {
        var offset: TimeInterval
        /// Half the round trip the offset was measured over: how far it may be off.
        var uncertainty: TimeInterval
        var measuredAt: ContinuousClock.Instant
    }

    private let client: RedisClient
    private let refreshInterval: Duration
    private let estimate = Mutex<Estimate?>(nil)

    init(client: RedisClient, refreshInterval: Duration = .seconds(60)) {
        self.client = client
        self.refreshInterval = refreshInterval
    }

    /// Redis's current time in milliseconds since 1970, as estimated from `localNow`, and how far the
    /// estimate may be off.
    func milliseconds(at localNow: Date) async throws -> (milliseconds: Int64, uncertainty: Duration) {
        let known = try await currentEstimate()
        return (Int64(((localNow.timeIntervalSince1970 + known.offset) * 1000).rounded()), .seconds(known.uncertainty))
    }

    private func currentEstimate() async throws -> Estimate {
        if let known = estimate.withLock({ $0 }), known.measuredAt.duration(to: .now) < refreshInterval {
            return known
        }
        let before = Date()
        let reply = try await client.send(RESPCommand("TIME"))
        let after = Date()
        guard let parts = reply.array, parts.count == 2, let seconds = parts[0].string.flatMap(Double.init),
            let micros = parts[1].string.flatMap(Double.init)
        else { throw RedisError(.unexpectedReply, "TIME returned \(reply)") }
        let midpoint = (before.timeIntervalSince1970 + after.timeIntervalSince1970) / 2
        let measured = Estimate(
            offset: seconds + micros / 1e6 - midpoint, uncertainty: after.timeIntervalSince(before) / 2, measuredAt: .now)
        estimate.withLock { $0 = measured }
        return measured
    }
}
