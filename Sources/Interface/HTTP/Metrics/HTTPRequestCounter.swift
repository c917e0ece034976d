import Synchronization

/// Counts answered requests by route pattern and status, for `herald_http_requests_total`.
final class HTTPRequestCounter: Sendable {
    private let counts = Mutex<[String: [Int: Int]]>([:])

    func record(route: String, status: Int) {
        counts.withLock { $0[route, default: [:]][status, default: 0] += 1 }
    }

    var snapshot: [String: [Int: Int]] { counts.withLock { $0 } }
}
