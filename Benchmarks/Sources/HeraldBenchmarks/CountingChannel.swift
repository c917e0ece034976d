import Herald
import Synchronization

/// A channel that only counts, so the benchmark measures Herald rather than a provider.
final class CountingChannel: NotificationChannel {
    private let state = Mutex<(count: Int, target: Int, done: CheckedContinuation<Void, Never>?)>((0, .max, nil))

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let done = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count >= state.target, let done = state.done else { return nil }
            state.done = nil
            return done
        }
        done?.resume()
        return .sent
    }

    /// Returns once `target` messages have been sent through this channel.
    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                guard state.count < target else { return true }
                state.target = target
                state.done = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A channel that rejects every message, so each delivery ends dead-lettered.
struct RejectingChannel: NotificationChannel {
    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome { .failed(reason: "rejected (benchmark)") }
}
