public import Foundation
import HeraldDomain

/// Wall-clock time: persisted timestamps and scheduled retries need dates, not just instants.
/// Tests use `ManualClock` from HeraldTesting to move time by hand.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Suspends until `deadline`; throws `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension WallClock {
    /// Suspends for `duration`.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.adding(duration))
    }
}

extension Date {
    /// This date moved by `duration`.
    public func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }
}
