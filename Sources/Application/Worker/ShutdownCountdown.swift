import Synchronization

/// Holds the timer that cancels an in-flight delivery once the shutdown grace period is over, so the
/// timer can be stopped as soon as the delivery finishes on its own.
final class ShutdownCountdown: Sendable {
    private struct State {
        var timer: Task<Void, Never>?
        var isStopped = false
    }

    private let state = Mutex(State())

    /// Starts `countdown` in a task of its own (it must outlive the cancelled caller), unless stopped.
    func start(_ countdown: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard !state.isStopped else { return }
            state.timer = Task { await countdown() }
        }
    }

    /// Cancels a running countdown and prevents a later one from starting.
    func stop() {
        state.withLock { state in
            state.isStopped = true
            state.timer?.cancel()
        }
    }
}
