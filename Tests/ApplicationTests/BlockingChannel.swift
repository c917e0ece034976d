import HeraldApplication
import HeraldDomain
import Synchronization

/// A channel whose sends wait until the test opens the gate (or the send is cancelled), so a test can
/// hold deliveries in flight. Reports each send that started through ``started``.
final class BlockingChannel: NotificationChannel {
    private struct State {
        var isOpen = false
        var waiting: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextID: UInt64 = 0
        var sent: [DeliveryID] = []
    }

    private let state = Mutex(State())
    let started: AsyncStream<DeliveryID>
    private let startedContinuation: AsyncStream<DeliveryID>.Continuation

    init() {
        (started, startedContinuation) = AsyncStream.makeStream()
    }

    /// Deliveries that completed as sent, in order.
    var sent: [DeliveryID] { state.withLock { $0.sent } }

    /// Lets every waiting and future send complete.
    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        startedContinuation.yield(message.deliveryID)
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = state.withLock { state in
                    if state.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiting[id] = continuation
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
        state.withLock { $0.sent.append(message.deliveryID) }
        return .sent
    }
}
