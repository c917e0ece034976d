import HeraldApplication
import Synchronization

/// The state ``Herald/run()`` shares with the rest of an instance: whether it started, the graceful-stop
/// request, and the embedded server's port once it is bound.
final class RunLifecycle: Sendable {
    private struct State {
        var hasStarted = false
        var port: Int?
    }

    private let state = Mutex(State())
    /// Fired by ``Herald/stop()``.
    let stopRequested = StopSignal()
    /// Fired once the embedded server listens, or once ``Herald/run()`` ends without it.
    let serverSettled = StopSignal()

    /// Marks the one run as started; false if it already was.
    func start() -> Bool {
        state.withLock { state in
            defer { state.hasStarted = true }
            return !state.hasStarted
        }
    }

    func serverListens(on port: Int) {
        state.withLock { $0.port = port }
        serverSettled.fire()
    }

    var port: Int? { state.withLock { $0.port } }
}
