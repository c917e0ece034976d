public import HeraldApplication
import HeraldDomain
import Foundation
import Synchronization

/// Keeps idempotency keys in memory until they expire, at most ``maxEntries`` of them (the oldest claim
/// is forgotten first). Every key lives as long, so claim order is expiry order and purging is O(1) amortized.
public final class InMemoryIdempotencyStore: IdempotencyStore {
    private struct State {
        var entries: [String: IdempotencyEntry] = [:]
        /// Claims in the order they were made (so in expiry order: every key lives as long).
        var order = FIFOBuffer<(key: String, expiresAt: Date)>()
    }

    private let state = Mutex(State())
    private let clock: any WallClock
    /// The most keys held at once.
    public let maxEntries: Int

    public init(clock: any WallClock = SystemClock(), maxEntries: Int = 100_000) {
        self.clock = clock
        self.maxEntries = max(1, maxEntries)
    }

    public func entry(for key: String) async throws -> IdempotencyEntry? {
        existing(key)
    }

    /// The unexpired entry holding `key`, if any.
    func existing(_ key: String) -> IdempotencyEntry? {
        let now = clock.now
        return state.withLock { $0.entries[key] }.flatMap { $0.expiresAt > now ? $0 : nil }
    }

    /// Claims `entry.key`; the caller checked ``existing(_:)`` under the same lock as the enqueue.
    func claim(_ entry: IdempotencyEntry) {
        let now = clock.now
        state.withLock { state in
            while let oldest = state.order.first {
                let isThisClaim = state.entries[oldest.key]?.expiresAt == oldest.expiresAt
                // Stop at the first claim that is still current and neither expired nor over the bound.
                if isThisClaim, oldest.expiresAt > now, state.entries.count < maxEntries { break }
                if isThisClaim { state.entries[oldest.key] = nil }
                state.order.removeFirst()
            }
            state.entries[entry.key] = entry
            state.order.append((entry.key, entry.expiresAt))
        }
    }

    /// Forgets `key` if `id` holds it (a canceled digest gives up its claim).
    func release(_ key: String, ifHeldBy id: NotificationID) {
        state.withLock { state in
            if state.entries[key]?.notificationID == id { state.entries[key] = nil }
        }
    }
}
