public import HeraldApplication
import Foundation
import Synchronization

/// Keeps idempotency keys in memory until they expire.
public final class InMemoryIdempotencyStore: IdempotencyStore {
    private let entries = Mutex<[String: IdempotencyEntry]>([:])
    private let clock: any WallClock

    public init(clock: any WallClock = SystemClock()) {
        self.clock = clock
    }

    public func entry(for key: String) async throws -> IdempotencyEntry? {
        let now = clock.now
        return entries.withLock { $0[key] }.flatMap { $0.expiresAt > now ? $0 : nil }
    }

    /// Claims `entry.key` unless an unexpired entry holds it; returns that entry when it does.
    func claim(_ entry: IdempotencyEntry) -> IdempotencyEntry? {
        let now = clock.now
        return entries.withLock { entries in
            if let existing = entries[entry.key], existing.expiresAt > now { return existing }
            if entries.count % 1024 == 1023 { entries = entries.filter { $0.value.expiresAt > now } }
            entries[entry.key] = entry
            return nil
        }
    }
}
