import Synchronization

/// When a reserve may go round every partition: always while rounds find work; once one found nothing, again only
/// after `interval`, so the delivery loops of an idle worker do not each ask every partition every time they wake
/// (they wait on one partition each meanwhile).
final class IdleRounds: Sendable {
    private let interval: Duration
    /// When the last round found nothing; nil while work is being found.
    private let lastEmpty = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a round may go now; claims the round (later calls wait another interval) when the queue is idle.
    func mayGoRound() -> Bool {
        lastEmpty.withLock { last in
            let now = ContinuousClock.now
            guard let since = last else { return true }
            guard since.duration(to: now) >= interval else { return false }
            last = now
            return true
        }
    }

    func foundNothing() {
        lastEmpty.withLock { last in last = last ?? .now }
    }

    func foundWork() {
        lastEmpty.withLock { $0 = nil }
    }
}
