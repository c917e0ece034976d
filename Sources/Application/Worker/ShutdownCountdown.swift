import Synchronization

/// Holds the timer that cancels an in-flight delivery once the shutdown grace period is over, so the
/// timer can be stopped as soon as the delivery finishes on its own.
final class ShutdownCountdown: Sendable {
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// Starts `countdown` in a task of its own (it must outlive the cancelled caller).
    func start(_ countdown: @escaping @Sendable () async -> Void) {
        timer.withLock { $0 = Task { await countdown() } }
    }

    /// Cancels a running countdown, if any.
    func stop() {
        timer.withLock { $0?.cancel() }
    }
}
