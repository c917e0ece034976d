import Foundation
import HeraldDomain
import Synchronization

/// A small Redis client: a pool of pipelined connections for ordinary commands, separate connections
/// for blocking commands, reconnection with capped backoff, and scripts by `EVALSHA`. With sentinels it finds the
/// master through them, checks the role on connect, and follows a failover: a `READONLY` answer, a failed
/// connection, or the sentinels naming another master (asked every second) drops every connection, and the next
/// ones go to the master the sentinels name then.
package final class RedisClient: Sendable {
    private enum Slot {
        case idle
        case connecting(Task<RedisConnection, any Error>)
        case connected(RedisConnection)
    }

    private struct State {
        var slots: [Slot]
        var nextSlot = 0
        var idleBlocking: [(connection: RedisConnection, generation: Int)] = []
        /// Counts topology changes (a failover, a moved slot): a connection opened before the last one is never
        /// pooled again, since it goes to the server the client left.
        var generation = 0
        /// SHA-1s by script name, with the source they were loaded for: looked up by the short name (hashing
        /// the whole source on every call showed in profiles), and used only for the same source.
        var scriptHashes: [String: (source: String, hash: String)] = [:]
        var retryNotBefore: ContinuousClock.Instant?
        var lastConnectFailure = ""
        var backoff: Duration = .zero
        var connectionCount = 0
        var isShutDown = false
        /// The master the sentinels named, until a connection to it fails or they name another.
        var master: RedisConfiguration.Endpoint?
        var watcher: Task<Void, Never>?
        /// The nodes of the last cluster slot map, asked first when the map is read again.
        var clusterNodes: [RedisConfiguration.Endpoint] = []
    }

    package let configuration: RedisConfiguration
    private let state: Mutex<State>

    package init(configuration: RedisConfiguration) {
        self.configuration = configuration
        self.state = Mutex(State(slots: Array(repeating: .idle, count: configuration.poolSize)))
        if !configuration.sentinels.isEmpty {
            let watcher = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    guard let self else { return }
                    await self.followSwitchedMaster()
                }
            }
            state.withLock { $0.watcher = watcher }
        }
    }

    /// The master connections go to now: the configured server, or the one the sentinels name.
    package func currentMaster() async throws -> RedisConfiguration.Endpoint {
        guard isRouted else { return RedisConfiguration.Endpoint(host: configuration.host, port: configuration.port) }
        if let known = state.withLock({ $0.master }) { return known }
        let found = configuration.clusterSeeds.isEmpty ? try await askSentinels() : try await askCluster()
        state.withLock { $0.master = found }
        return found
    }

    /// Whether the server is found (through sentinels or a cluster's slot map) rather than configured.
    private var isRouted: Bool { !configuration.sentinels.isEmpty || !configuration.clusterSeeds.isEmpty }

    /// The master serving the routing key's slot, by `CLUSTER SLOTS` on the nodes seen before and the seeds.
    private func askCluster() async throws -> RedisConfiguration.Endpoint {
        let slot = ClusterSlot.of(configuration.clusterRoutingKey)
        let candidates = state.withLock { $0.clusterNodes } + configuration.clusterSeeds
        var problems: [String] = []
        for node in candidates {
            do {
                let connection = try await RedisConnection.open(
                    host: node.host, port: node.port, timeout: configuration.connectTimeout, name: "cluster \(node)")
                defer { connection.close() }
                try await handshake(connection, selecting: false)
                let reply = try await connection.send(RESPCommand("CLUSTER", "SLOTS"), timeout: configuration.connectTimeout)
                var owner: RedisConfiguration.Endpoint?
                var nodes: [RedisConfiguration.Endpoint] = []
                for range in reply.array ?? [] {
                    guard let parts = range.array, parts.count >= 3, let low = parts[0].integer, let high = parts[1].integer
                    else { continue }
                    let endpoints = parts[2...].compactMap { entry -> RedisConfiguration.Endpoint? in
                        guard let fields = entry.array, fields.count >= 2, let port = fields[1].integer else { return nil }
                        let host = fields[0].string.flatMap { $0.isEmpty ? nil : $0 } ?? node.host
                        return RedisConfiguration.Endpoint(host: host, port: Int(port))
                    }
                    nodes += endpoints
                    if (low...high).contains(Int64(slot)) { owner = endpoints.first }
                }
                state.withLock { $0.clusterNodes = Array(Set(nodes)).sorted { $0.description < $1.description } }
                if let owner { return owner }
                problems.append("\(node) knows no master for slot \(slot)")
            } catch {
                problems.append("\(node): \((error as? RedisError)?.message ?? "\(error)")")
            }
        }
        throw RedisError(.connectionFailed, "no cluster node named the master of slot \(slot) (\(problems.joined(separator: "; ")))")
    }

    /// Follows a cluster's redirections: `MOVED` (the slot's owner changed: reconnect there and repeat), `ASK`
    /// (the slot is migrating and this key is already on the target: repeat there once, after `ASKING`), and
    /// `TRYAGAIN`/`CLUSTERDOWN` (a multi-key command met a slot mid-migration, or the cluster is failing over:
    /// repeat shortly). None of them ran the command, so repeating it is safe.
    private func followingRedirections<T>(
        _ operation: () async throws -> T, asking: (RedisConfiguration.Endpoint) async throws -> T
    ) async throws -> T {
        var rounds = 0
        var askTarget: RedisConfiguration.Endpoint?
        while true {
            // The topology this attempt ran under: a redirection answered by a connection of an older one (a reply
            // pending on a retired connection) has been followed already, and only the attempt is repeated.
            let generation = state.withLock { $0.generation }
            do {
                if let target = askTarget {
                    askTarget = nil
                    return try await asking(target)
                }
                return try await followingFailover(operation, generation: generation)
            } catch let error as RedisError where error.code == .server && !configuration.clusterSeeds.isEmpty && rounds < 50 {
                rounds += 1
                // A redirection may name the node by port alone (`MOVED 3999 :6380`): it is on the current host.
                let host = state.withLock { $0.master?.host } ?? configuration.host
                if let target = Self.redirection(error.message, "MOVED", host: host) {
                    moveMaster(to: target, from: generation)
                } else if let target = Self.redirection(error.message, "ASK", host: host) {
                    // Run on the target next round: a `TRYAGAIN` from it is repeated like any other.
                    askTarget = target
                } else if error.message.hasPrefix("TRYAGAIN") || error.message.hasPrefix("CLUSTERDOWN") {
                    if error.message.hasPrefix("CLUSTERDOWN") { forgetMaster(because: error.message, from: generation) }
                    try await Task.sleep(for: .milliseconds(20 * min(rounds, 10)))
                } else {
                    throw error
                }
            } catch let error as RedisError where error.isRetiredRefusal && rounds < 50 {
                // The command went to a connection retired meanwhile and was never sent: send it again.
                rounds += 1
            }
        }
    }

    /// The node of a `MOVED <slot> <host>:<port>` or `ASK …` error; an empty host is `host`.
    static func redirection(_ message: String, _ kind: String, host: String) -> RedisConfiguration.Endpoint? {
        let parts = message.split(separator: " ")
        guard parts.count == 3, parts[0] == kind, let colon = parts[2].lastIndex(of: ":"),
            let port = Int(parts[2][parts[2].index(after: colon)...])
        else { return nil }
        let named = String(parts[2][..<colon])
        return RedisConfiguration.Endpoint(host: named.isEmpty ? host : named, port: port)
    }

    /// Switches every connection to the slot's new owner.
    private func moveMaster(to target: RedisConfiguration.Endpoint, from generation: Int) {
        guard forgetMaster(because: "the slot moved to \(target)", from: generation) else { return }
        state.withLock { $0.master = target }
    }

    /// Runs `command` once on `target` after `ASKING`, on a connection of its own.
    private func asking(_ target: RedisConfiguration.Endpoint, _ command: RESPCommand, timeout: Duration) async throws -> RESPValue {
        try await asking(target, command, timeout: timeout) { _ in }.0
    }

    /// Runs `command` once on `target` after `ASKING`, then `then` on the same connection (a `WAIT` that must
    /// count the replicas of that node's write).
    private func asking<T>(
        _ target: RedisConfiguration.Endpoint, _ command: RESPCommand, timeout: Duration,
        then: (RedisConnection) async throws -> T
    ) async throws -> (RESPValue, T) {
        let connection = try await RedisConnection.open(
            host: target.host, port: target.port, timeout: configuration.connectTimeout, name: "ask \(target)")
        defer { connection.close() }
        try await handshake(connection, selecting: false)
        _ = try await connection.send(RESPCommand("ASKING"), timeout: configuration.commandTimeout)
        let reply = try await connection.send(command, timeout: timeout)
        return (reply, try await then(connection))
    }

    /// `SENTINEL get-master-addr-by-name` on each sentinel in turn, until one names the master.
    private func askSentinels() async throws -> RedisConfiguration.Endpoint {
        guard let name = configuration.masterName else { throw RedisError(.invalidURL, "no master name") }
        var problems: [String] = []
        for sentinel in configuration.sentinels {
            do {
                let connection = try await RedisConnection.open(
                    host: sentinel.host, port: sentinel.port, timeout: configuration.connectTimeout, name: "sentinel \(sentinel)")
                defer { connection.close() }
                let reply = try await connection.send(
                    RESPCommand("SENTINEL", "get-master-addr-by-name", name), timeout: configuration.connectTimeout)
                if let parts = reply.array, parts.count == 2, let host = parts[0].string, let port = parts[1].string.flatMap(Int.init) {
                    return RedisConfiguration.Endpoint(host: host, port: port)
                }
                problems.append("\(sentinel) does not know master \(name)")
            } catch {
                problems.append("\(sentinel): \((error as? RedisError)?.message ?? "\(error)")")
            }
        }
        throw RedisError(.connectionFailed, "no sentinel named master \(name) (\(problems.joined(separator: "; ")))")
    }

    /// Drops every connection when the sentinels name another master than the one in use (a `+switch-master`).
    private func followSwitchedMaster() async {
        guard let known = state.withLock({ $0.master }), let named = try? await askSentinels(), named != known else { return }
        forgetMaster(because: "the sentinels switched the master to \(named)")
    }

    /// Retires every connection and forgets the master, so the next connection asks the sentinels (or the slot
    /// map) again, unless the topology changed since `generation` (someone followed it already): then nothing is
    /// done and false returned.
    @discardableResult
    private func forgetMaster(because reason: String, from generation: Int? = nil) -> Bool {
        let dropped: (slots: [Slot], blocking: [(connection: RedisConnection, generation: Int)])? = state.withLock { state in
            if let generation, generation != state.generation { return nil }
            state.generation += 1
            state.master = nil
            state.lastConnectFailure = reason
            // The next connection goes to the master the sentinels name now: no backoff left from the old one.
            state.retryNotBefore = nil
            state.backoff = .zero
            defer {
                state.slots = state.slots.map { _ in .idle }
                state.idleBlocking = []
            }
            return (state.slots, state.idleBlocking)
        }
        guard let (slots, blocking) = dropped else { return false }
        // Replies already asked for still arrive (a settle the old server applied must not look failed).
        for slot in slots { if case .connected(let connection) = slot { connection.retire() } }
        for idle in blocking { idle.connection.close() }
        return true
    }

    /// A `READONLY` answer means the server was demoted: follow the failover, and let the caller retry.
    private func followingFailover<T>(_ body: () async throws -> T, generation: Int) async throws -> T {
        do {
            return try await body()
        } catch let error as RedisError where error.code == .server && error.message.hasPrefix("READONLY") {
            guard !configuration.sentinels.isEmpty else { throw error }
            forgetMaster(because: "the master answered READONLY", from: generation)
            throw RedisError(.connectionFailed, "the master became a replica (READONLY); following the failover")
        }
    }

    /// Sends one command on a pooled connection and returns its reply.
    /// - Parameter cancellable: when true (the default) a cancelled caller returns at once with
    ///   `CancellationError` and the reply is dropped; pass false for commands whose effect the caller
    ///   must learn (a reservation), so it waits for the reply (bounded by the command timeout).
    /// - Throws: ``RedisError`` (an error reply is `.server` with Redis's message).
    @discardableResult
    package func send(cancellable: Bool = true, _ command: RESPCommand) async throws -> RESPValue {
        try await followingRedirections({
            let connection = try await pooledConnection()
            return try await connection.send(command, timeout: configuration.commandTimeout, cancellable: cancellable)
        }, asking: { try await asking($0, command, timeout: configuration.commandTimeout) })
    }

    /// Sends `command` and checks the reply is an integer.
    package func integer(_ command: RESPCommand) async throws -> Int64 {
        let reply = try await send(command)
        guard let value = reply.integer else { throw RedisError(.unexpectedReply, "\(command.name) returned \(reply)") }
        return value
    }

    /// Runs a blocking command (`BLMOVE ... timeout`) on a connection of its own, whose reply may take
    /// `serverWait` plus the configured margin. The command is not abandoned on cancellation: it returns
    /// within `serverWait`, so what it took is never lost.
    package func sendBlocking(_ command: RESPCommand, serverWait: Duration) async throws -> RESPValue {
        try await followingRedirections(
            { try await sendBlockingOnce(command, serverWait: serverWait) },
            asking: { try await asking($0, command, timeout: serverWait + configuration.blockingTimeoutMargin) })
    }

    private func sendBlockingOnce(_ command: RESPCommand, serverWait: Duration) async throws -> RESPValue {
        let (connection, generation) = try await checkOutBlockingConnection()
        do {
            let reply = try await connection.send(
                command, timeout: serverWait + configuration.blockingTimeoutMargin, cancellable: false)
            checkIn(connection, generation: generation)
            return reply
        } catch let error as RedisError where error.code == .server {
            checkIn(connection, generation: generation)
            throw error
        } catch {
            connection.close()
            throw error
        }
    }

    /// Runs `script` like ``evaluate(_:keys:arguments:cancellable:)`` and then `WAIT replicas timeout` on the same
    /// connection, so the count is of replicas that hold this script's writes. Returns the reply and that count.
    package func evaluate(
        _ script: RedisScript, keys: [String], arguments: [String], waitingFor replicas: Int, timeout: Duration
    ) async throws -> (reply: RESPValue, acknowledged: Int) {
        try await followingRedirections({
            let connection = try await pooledConnection()
            for attempt in 0..<2 {
                let hash = try await scriptHash(for: script, reload: attempt > 0, cancellable: false)
                let command = RESPCommand("EVALSHA", arguments: [hash, String(keys.count)] + keys + arguments)
                let reply: RESPValue
                do {
                    reply = try await connection.send(command, timeout: configuration.commandTimeout, cancellable: false)
                } catch let error as RedisError where error.code == .server && error.message.hasPrefix("NOSCRIPT") {
                    continue
                }
                return (reply, try await waitForReplicas(replicas, timeout: timeout, on: connection))
            }
            throw RedisError(.server, "NOSCRIPT: script \(script.name) could not be loaded")
        }, asking: { target in
            // Mid-migration the script runs once on the target, by its source (it may not be loaded there).
            let command = RESPCommand("EVAL", arguments: [script.source, String(keys.count)] + keys + arguments)
            return try await asking(target, command, timeout: configuration.commandTimeout) { connection in
                try await self.waitForReplicas(replicas, timeout: timeout, on: connection)
            }
        })
    }

    /// `WAIT replicas timeout` on `connection`: how many replicas hold the writes made on it so far.
    private func waitForReplicas(_ replicas: Int, timeout: Duration, on connection: RedisConnection) async throws -> Int {
        let waited = try await connection.send(
            RESPCommand("WAIT", String(replicas), String(timeout.wholeMilliseconds)),
            timeout: configuration.commandTimeout + timeout, cancellable: false)
        return Int(waited.integer ?? 0)
    }

    /// Runs `script` with `EVALSHA`, loading it first if this client has not yet, and again on `NOSCRIPT`.
    package func evaluate(
        _ script: RedisScript, keys: [String], arguments: [String], cancellable: Bool = true
    ) async throws -> RESPValue {
        for attempt in 0..<2 {
            let hash = try await scriptHash(for: script, reload: attempt > 0, cancellable: cancellable)
            let command = RESPCommand("EVALSHA", arguments: [hash, String(keys.count)] + keys + arguments)
            do {
                return try await followingRedirections({
                    let connection = try await pooledConnection()
                    return try await connection.send(command, timeout: configuration.commandTimeout, cancellable: cancellable)
                }, asking: { target in
                    // Mid-migration the script runs once on the target, by its source (it may not be loaded there).
                    try await asking(
                        target, RESPCommand("EVAL", arguments: [script.source, String(keys.count)] + keys + arguments),
                        timeout: configuration.commandTimeout)
                })
            } catch let error as RedisError where error.code == .server && error.message.hasPrefix("NOSCRIPT") {
                continue
            }
        }
        throw RedisError(.server, "NOSCRIPT: script \(script.name) could not be loaded")
    }

    /// Closes every connection; later calls fail.
    package func shutdown() {
        let (slots, blocking) = state.withLock { state in
            state.isShutDown = true
            state.watcher?.cancel()
            defer {
                state.slots = state.slots.map { _ in .idle }
                state.idleBlocking = []
            }
            return (state.slots, state.idleBlocking)
        }
        for slot in slots {
            switch slot {
            case .connected(let connection): connection.close()
            case .connecting(let task): task.cancel()
            case .idle: break
            }
        }
        for idle in blocking { idle.connection.close() }
    }

    /// How many connections this client has opened so far (for tests and diagnostics).
    package var openedConnectionCount: Int { state.withLock { $0.connectionCount } }

    // MARK: - Connections

    private func pooledConnection() async throws -> RedisConnection {
        enum Choice {
            case ready(RedisConnection)
            case wait(Task<RedisConnection, any Error>)
            case failFast(RedisError)
        }
        let choice: Choice = state.withLock { state in
            if state.isShutDown { return .failFast(RedisError(.connectionClosed, "the client was shut down")) }
            let index = state.nextSlot
            state.nextSlot = (index + 1) % state.slots.count
            switch state.slots[index] {
            case .connected(let connection) where !connection.isClosed:
                return .ready(connection)
            case .connecting(let task):
                return .wait(task)
            case .connected, .idle:
                if let notBefore = state.retryNotBefore, ContinuousClock.now < notBefore {
                    return .failFast(RedisError(
                        .connectionFailed,
                        "\(state.master?.description ?? "\(configuration.host):\(configuration.port)") is unavailable "
                            + "(\(state.lastConnectFailure)); retrying shortly"))
                }
                let task = Task { try await self.openConnection() }
                state.slots[index] = .connecting(task)
                let slotIndex = index
                let generation = state.generation
                Task { await self.settleSlot(slotIndex, task, generation: generation) }
                return .wait(task)
            }
        }
        switch choice {
        case .ready(let connection): return connection
        case .wait(let task): return try await task.value
        case .failFast(let error): throw error
        }
    }

    private func settleSlot(_ index: Int, _ task: Task<RedisConnection, any Error>, generation: Int) async {
        let result = await task.result
        let orphan: RedisConnection? = state.withLock { state in
            guard case .connecting(let current) = state.slots[index], current == task, !state.isShutDown,
                state.generation == generation
            else {
                return try? result.get()
            }
            switch result {
            case .success(let connection): state.slots[index] = .connected(connection)
            case .failure: state.slots[index] = .idle
            }
            return nil
        }
        orphan?.retire()
    }

    private var idleBlockingLimit: Int { configuration.idleBlockingLimit }

    /// Returns a blocking connection to the pool, unless the client moved to another server since it was opened
    /// (it would go on asking the old one), shut down, or already keeps enough idle ones.
    private func checkIn(_ connection: RedisConnection, generation: Int) {
        let isKept = state.withLock { state in
            guard !state.isShutDown, state.generation == generation, state.idleBlocking.count < idleBlockingLimit
            else { return false }
            state.idleBlocking.append((connection, generation))
            return true
        }
        if !isKept { connection.close() }
    }

    private func checkOutBlockingConnection() async throws -> (RedisConnection, generation: Int) {
        let (reusable, generation): (RedisConnection?, Int) = try state.withLock { state in
            if state.isShutDown { throw RedisError(.connectionClosed, "the client was shut down") }
            while let idle = state.idleBlocking.popLast() {
                if !idle.connection.isClosed, idle.generation == state.generation { return (idle.connection, idle.generation) }
                idle.connection.close()
            }
            return (nil, state.generation)
        }
        if let reusable { return (reusable, generation) }
        return (try await openConnection(), generation)
    }

    /// Connects and runs the handshake (AUTH, SELECT, CLIENT SETNAME); records failures for backoff.
    private func openConnection() async throws -> RedisConnection {
        let number = state.withLock { state in
            state.connectionCount += 1
            return state.connectionCount
        }
        do {
            let target = try await currentMaster()
            let connection: RedisConnection
            do {
                connection = try await RedisConnection.open(
                    host: target.host, port: target.port, timeout: configuration.connectTimeout, name: "\(target)#\(number)")
            } catch {
                if isRouted { state.withLock { $0.master = nil } }
                throw error
            }
            do {
                try await handshake(connection)
                if !configuration.sentinels.isEmpty { try await requireMasterRole(connection, at: target) }
            } catch {
                connection.close()
                throw error
            }
            state.withLock { state in
                state.retryNotBefore = nil
                state.backoff = .zero
            }
            return connection
        } catch {
            state.withLock { state in
                // Through sentinels or a cluster a failover is expected to end within seconds: retry every second.
                let ceiling: Duration = isRouted ? .seconds(1) : .seconds(5)
                state.backoff = min(max(state.backoff * 2, .milliseconds(100)), ceiling)
                state.retryNotBefore = ContinuousClock.now + state.backoff
                state.lastConnectFailure = (error as? RedisError)?.message ?? "\(error)"
            }
            if let error = error as? RedisError, error.code != .server { throw error }
            throw RedisError(.connectionFailed, "\(error)")
        }
    }

    private func handshake(_ connection: RedisConnection, selecting: Bool = true) async throws {
        let timeout = configuration.connectTimeout
        if let password = configuration.password {
            let arguments = configuration.username.map { [$0, password] } ?? [password]
            do {
                _ = try await connection.send(RESPCommand("AUTH", arguments: arguments), timeout: timeout)
            } catch let error as RedisError where error.code == .server {
                throw RedisError(.connectionFailed, "authentication failed: \(error.message)")
            }
        }
        if selecting, configuration.database != 0 {
            _ = try await connection.send(RESPCommand("SELECT", String(configuration.database)), timeout: timeout)
        }
        _ = try await connection.send(RESPCommand("CLIENT", "SETNAME", configuration.clientName), timeout: timeout)
    }

    /// The role check on connect: a server the sentinels named but that is not (or no longer) a master is dropped.
    private func requireMasterRole(_ connection: RedisConnection, at target: RedisConfiguration.Endpoint) async throws {
        let role = try await connection.send(RESPCommand("ROLE"), timeout: configuration.connectTimeout)
        guard role.array?.first?.string == "master" else {
            state.withLock { $0.master = nil }
            throw RedisError(.connectionFailed, "\(target) is not a master (ROLE \(role.array?.first?.string ?? "?"))")
        }
    }

    private func scriptHash(for script: RedisScript, reload: Bool, cancellable: Bool) async throws -> String {
        if !reload, let known = state.withLock({ $0.scriptHashes[script.name] }), known.source == script.source {
            return known.hash
        }
        let reply = try await send(cancellable: cancellable, RESPCommand("SCRIPT", "LOAD", script.source))
        guard let hash = reply.string else { throw RedisError(.unexpectedReply, "SCRIPT LOAD returned \(reply)") }
        state.withLock { $0.scriptHashes[script.name] = (script.source, hash) }
        return hash
    }
}
