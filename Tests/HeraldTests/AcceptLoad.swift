import Herald
import Synchronization

/// Notifications sent to a Herald one after another until stopped, as a client under a failover sends them: a
/// failed send is followed by the next after a moment. Records what was accepted, and when.
final class AcceptLoad: Sendable {
    private final class Shared: Sendable {
        let accepted = Mutex<[(body: String, at: ContinuousClock.Instant)]>([])
        let stopped = Atomic(false)
    }

    private let shared = Shared()
    private let task: Task<Void, Never>

    init(_ herald: Herald, topic: Topic = "sales") {
        let shared = shared
        task = Task {
            var index = 0
            while !shared.stopped.load(ordering: .relaxed) {
                index += 1
                let body = "load \(index)"
                if (try? await herald.send(NotificationRequest(topic: topic, message: body))) != nil {
                    shared.accepted.withLock { $0.append((body, .now)) }
                } else {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    /// How many were accepted, or accepted after `instant`.
    func count(after instant: ContinuousClock.Instant? = nil) -> Int {
        shared.accepted.withLock { entries in instant.map { moment in entries.count { $0.at > moment } } ?? entries.count }
    }

    /// Stops sending and returns every accepted body with its time, in order.
    func stop() async -> [(body: String, at: ContinuousClock.Instant)] {
        shared.stopped.store(true, ordering: .relaxed)
        await task.value
        return shared.accepted.withLock { $0 }
    }
}
