import Synchronization

/// The reservation tokens a worker's delivery loops are working on, so the maintenance loop can tell
/// leases the worker lost track of (after an error) from leases in use.
final class InFlightTokens: Sendable {
    private let tokens = Mutex<Set<String>>([])

    func insert(_ token: String) { _ = tokens.withLock { $0.insert(token) } }
    func remove(_ token: String) { _ = tokens.withLock { $0.remove(token) } }
    var current: Set<String> { tokens.withLock { $0 } }
}
