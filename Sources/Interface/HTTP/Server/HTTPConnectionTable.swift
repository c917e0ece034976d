/// The server's open connections and which of them are idle, oldest idle first: a pure value the
/// server keeps behind a lock, so it can close the connection idle longest when a new client arrives at
/// the cap. Idle means waiting for the first byte of a request (a new connection, or a keep-alive one
/// between requests); busy means a request is being read or answered.
///
/// Finding the oldest idle connection is amortized O(1): idle periods are queued in the order they
/// started, and stale entries (connections that became busy again or closed) are skipped or compacted.
struct HTTPConnectionTable<Connection: Sendable>: Sendable {
    /// Identifies a connection for as long as the server runs (descriptors are reused, identifiers are not).
    typealias ID = Int

    private struct Entry: Sendable {
        let connection: Connection
        /// Which idle period the connection is in, when it is idle.
        var idlePeriod: Int?
    }

    private var entries: [ID: Entry] = [:]
    /// Idle periods in the order they started; an element is stale once its entry left that period.
    private var idleQueue: [(id: ID, period: Int)] = []
    private var idleQueueStart = 0
    private var nextID = 0
    private var nextPeriod = 0

    /// How many connections are open.
    var count: Int { entries.count }

    /// How many connections are idle (counted one by one, for tests and diagnostics).
    var idleCount: Int { entries.values.count { $0.idlePeriod != nil } }

    /// Every open connection.
    var connections: [Connection] { entries.values.map(\.connection) }

    /// Adds a new connection, idle until its first byte arrives.
    mutating func add(_ connection: Connection) -> ID {
        add { _ in connection }
    }

    /// Adds the connection `make` builds for its identifier, idle until its first byte arrives.
    @discardableResult
    mutating func add(_ make: (ID) -> Connection) -> ID {
        let id = nextID
        nextID += 1
        entries[id] = Entry(connection: make(id), idlePeriod: nil)
        markIdle(id)
        return id
    }

    /// Forgets a connection; false when it was not here (already taken by ``removeOldestIdle()``).
    @discardableResult
    mutating func remove(_ id: ID) -> Bool {
        entries.removeValue(forKey: id) != nil
    }

    /// Records that the connection waits for the first byte of a request.
    mutating func markIdle(_ id: ID) {
        guard entries[id] != nil, entries[id]?.idlePeriod == nil else { return }
        entries[id]?.idlePeriod = nextPeriod
        idleQueue.append((id, nextPeriod))
        nextPeriod += 1
        compactIfMostlyStale()
    }

    /// Records that a request is being read or answered; false when the connection is no longer here
    /// (it was closed as the oldest idle one), so its request must not be served.
    mutating func markBusy(_ id: ID) -> Bool {
        guard entries[id] != nil else { return false }
        entries[id]?.idlePeriod = nil
        return true
    }

    /// Takes out the connection idle longest, for the caller to close; nil when none is idle.
    mutating func removeOldestIdle() -> Connection? {
        while idleQueueStart < idleQueue.count {
            let (id, period) = idleQueue[idleQueueStart]
            idleQueueStart += 1
            if let entry = entries[id], entry.idlePeriod == period {
                entries[id] = nil
                return entry.connection
            }
        }
        return nil
    }

    /// Rebuilds the queue once most of it is consumed or stale, so it stays within a few times ``count``.
    private mutating func compactIfMostlyStale() {
        let queued = idleQueue.count - idleQueueStart
        guard idleQueue.count > 64, queued > 2 * entries.count || idleQueueStart * 2 > idleQueue.count else { return }
        idleQueue = idleQueue[idleQueueStart...].filter { entries[$0.id]?.idlePeriod == $0.period }
        idleQueueStart = 0
    }
}
