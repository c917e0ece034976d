import Foundation
import Synchronization

/// Estimates Redis's clock (`TIME`) from this process, for the one value a caller must state in Redis time:
/// the deadline of an accept. The offset is measured over one round trip, taking the midpoint, and
/// re-measured every ``refreshInterval``.
final class RedisServerClock: Sendable {
    private struct Estimate {
        var offset: TimeInterval
        var measuredAt: ContinuousClock.Instant
    }

    private let client: RedisClient
    private let refreshInterval: Duration
    private let estimate = Mutex<Estimate?>(nil)

    init(client: RedisClient, refreshInterval: Duration = .seconds(60)) {
        self.client = client
        self.refreshInterval = refreshInterval
    }

    /// Redis's current time in milliseconds since 1970, as estimated from `localNow`.
    func milliseconds(at localNow: Date) async throws -> Int64 {
        let offset = try await currentOffset()
        return Int64(((localNow.timeIntervalSince1970 + offset) * 1000).rounded())
    }

    private func currentOffset() async throws -> TimeInterval {
        if let known = estimate.withLock({ $0 }), known.measuredAt.duration(to: .now) < refreshInterval {
            return known.offset
        }
        let before = Date()
        let reply = try await client.send(RESPCommand("TIME"))
        let after = Date()
        guard let parts = reply.array, parts.count == 2, let seconds = parts[0].string.flatMap(Double.init),
            let micros = parts[1].string.flatMap(Double.init)
        else { throw RedisError(.unexpectedReply, "TIME returned \(reply)") }
        let midpoint = (before.timeIntervalSince1970 + after.timeIntervalSince1970) / 2
        let offset = seconds + micros / 1e6 - midpoint
        estimate.withLock { $0 = Estimate(offset: offset, measuredAt: .now) }
        return offset
    }
}
