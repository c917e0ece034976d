public import HeraldApplication
public import HeraldDomain
import Foundation
import Synchronization

/// Token buckets in this process's memory, shared by its workers.
public final class InMemoryRateLimiter: RateLimiter {
    private let buckets = Mutex<[ChannelName: (tokens: Double, at: Double)]>([:])
    private let clock: any WallClock

    public init(clock: any WallClock = SystemClock()) {
        self.clock = clock
    }

    public func acquire(_ channel: ChannelName, limit: RateLimit) async throws -> Duration? {
        let now = clock.now.timeIntervalSince1970
        let wait = buckets.withLock { buckets in
            let (bucket, wait) = limit.take(from: buckets[channel], now: now)
            buckets[channel] = bucket
            return wait
        }
        return wait > 0 ? .nanoseconds(Int64((wait * 1e9).rounded(.up))) : nil
    }
}
