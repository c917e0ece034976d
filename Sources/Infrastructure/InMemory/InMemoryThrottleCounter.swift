public import HeraldApplication
public import HeraldDomain
import Foundation
import Synchronization

/// Sliding-window throttle counts in this process's memory: the times of the admitted notifications per key.
public final class InMemoryThrottleCounter: ThrottleCounter {
    private let counts = Mutex<[String: [Date]]>([:])
    private let clock: any WallClock

    public init(clock: any WallClock = SystemClock()) {
        self.clock = clock
    }

    public func admit(_ key: String, under throttle: Throttle) async throws -> Bool {
        let now = clock.now
        let start = now.addingTimeInterval(-throttle.window.timeInterval)
        return counts.withLock { counts in
            var times = counts[key, default: []].filter { $0 > start }
            let admitted = times.count < throttle.limit
            if admitted { times.append(now) }
            counts[key] = times.isEmpty ? nil : times
            return admitted
        }
    }
}
