import Herald
import Synchronization

/// A slow channel: every send starts, then waits until ``open()`` is called, then reports `.sent`. Tests use
/// it to hold deliveries in flight across a shutdown.
final class GatedChannel: NotificationChannel {
    private struct State {
        var isOpen = false
        var started: [NotificationID] = []
        var finished: [NotificationID] = []
        var gateWaiters: [CheckedContinuation<Void, Never>] = []
        var startWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Notifications whose send has started, and those whose send has returned.
    var started: [NotificationID] { state.withLock { $0.started } }
    var finished: [NotificationID] { state.withLock { $0.finished } }

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let ready = state.withLock { state in
            state.started.append(message.deliveryID.notificationID)
            let ready = state.startWaiters.filter { $0.count <= state.started.count }.map(\.continuation)
            state.startWaiters.removeAll { $0.count <= state.started.count }
            return ready
        }
        for waiter in ready { waiter.resume() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.gateWaiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
        state.withLock { $0.finished.append(message.deliveryID.notificationID) }
        return .sent
    }

    /// Returns once at least `count` sends have started.
    func waitForStarted(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isReady = state.withLock { state in
                if state.started.count < count { state.startWaiters.append((count, continuation)) }
                return state.started.count >= count
            }
            if isReady { continuation.resume() }
        }
    }

    /// Lets every waiting and later send finish.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.gateWaiters = [] }
            return state.gateWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
