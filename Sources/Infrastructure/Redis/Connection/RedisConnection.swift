import Foundation
import HeraldSockets
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP connection to Redis with pipelining: callers' commands are queued for writing at once and
/// replies are matched to callers in FIFO order.
///
/// All socket I/O happens on one dedicated thread per connection (`poll`, `send`, `recv`), never on the
/// cooperative pool; callers suspend on continuations. When the connection drops or a reply is late,
/// every caller in flight gets an error and the connection is closed for good (it is never reused).
final class RedisConnection: Sendable {
    private struct State {
        var outgoing: [UInt8] = []
        var pending = PendingReplies()
        var nextID: UInt64 = 0
        var failure: RedisError?
        var isDescriptorOpen = true
    }

    private let socket: TCPSocket
    private let wakeup: WakeupPipe
    private let state = Mutex(State())
    /// A human-readable name (`127.0.0.1:6379#3`) for logs.
    let name: String

    private init(socket: TCPSocket, wakeup: WakeupPipe, name: String) {
        self.socket = socket
        self.wakeup = wakeup
        self.name = name
    }

    /// Connects on a dedicated thread and starts the connection's I/O thread.
    /// - Throws: ``RedisError`` `.connectionFailed` when the connection cannot be made, or when either
    ///   thread cannot be started (the error names `pthread_create`).
    static func open(host: String, port: Int, timeout: Duration, name: String) async throws -> RedisConnection {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisConnection, any Error>) in
            do {
                try DedicatedThread.start(name: "herald-redis-connect") {
                    do {
                        let connection = try connect(host: host, port: port, timeout: timeout, name: name)
                        continuation.resume(returning: connection)
                    } catch {
                        continuation.resume(throwing: RedisError(.connectionFailed, "\(error)"))
                    }
                }
            } catch {
                continuation.resume(throwing: RedisError(.connectionFailed, "\(error)"))
            }
        }
    }

    /// Connects (blocking) and starts the I/O thread; nothing is left open when either fails.
    private static func connect(host: String, port: Int, timeout: Duration, name: String) throws -> RedisConnection {
        let socket = try TCPSocket.open(host: host, port: port, timeout: timeout)
        let wakeup: WakeupPipe
        do {
            wakeup = try WakeupPipe()
        } catch {
            socket.closeDescriptor()
            throw error
        }
        let connection = RedisConnection(socket: socket, wakeup: wakeup, name: name)
        do {
            try DedicatedThread.start(name: "herald-redis-io") { connection.runIOLoop() }
        } catch {
            socket.closeDescriptor()
            wakeup.closeBothEnds()
            throw error
        }
        return connection
    }

    /// Whether the connection has failed or was closed; a closed connection never recovers.
    var isClosed: Bool { state.withLock { $0.failure != nil } }

    /// How many replies are outstanding.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Sends `command` and waits for its reply.
    /// - Parameters:
    ///   - timeout: how long the reply may take; past it the connection is closed and every caller fails.
    ///   - cancellable: a cancelled caller returns at once with `CancellationError` (its reply is dropped
    ///     when it arrives); blocking commands pass false and always wait for their reply.
    /// - Throws: ``RedisError``: `.server` for an error reply, or a connection failure.
    func send(_ command: RESPCommand, timeout: Duration?, cancellable: Bool = true) async throws -> RESPValue {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let id = state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
        let reply: RESPValue = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RESPValue, any Error>) in
                let failure: (any Error)? = state.withLock { state in
                    if let failure = state.failure { return failure }
                    if cancellable, Task.isCancelled { return CancellationError() }
                    let wasIdle = state.outgoing.isEmpty
                    command.encode(into: &state.outgoing)
                    state.pending.append(PendingReplies.Entry(id: id, continuation: continuation, deadline: deadline))
                    // Woken under the lock, so the pipe cannot have been closed (and its number reused).
                    if wasIdle { wakeup.wake() }
                    return nil
                }
                if let failure { continuation.resume(throwing: failure) }
            }
        } onCancel: {
            guard cancellable else { return }
            state.withLock { $0.pending.cancel(id) }?.resume(throwing: CancellationError())
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Closes the connection; callers in flight get `connectionClosed`.
    func close() {
        fail(RedisError(.connectionClosed, "the connection to \(name) was closed"))
    }

    private func fail(_ error: RedisError) {
        let (failure, waiting) = state.withLock { state in
            if state.failure == nil { state.failure = error }
            if state.isDescriptorOpen {
                socket.shutdownBothDirections()
                wakeup.wake()
            }
            return (state.failure ?? error, state.pending.removeAll())
        }
        for continuation in waiting { continuation.resume(throwing: failure) }
    }

    // MARK: - The I/O thread

    private func runIOLoop() {
        var decoder = RESPDecoder()
        var unwritten: [UInt8] = []
        var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer {
            state.withLock { state in
                state.isDescriptorOpen = false
                socket.closeDescriptor()
                wakeup.closeBothEnds()
            }
        }
        while true {
            let (isFailed, deadline) = state.withLock { state in
                unwritten.append(contentsOf: state.outgoing)
                state.outgoing.removeAll(keepingCapacity: true)
                return (state.failure != nil, state.pending.oldestDeadline)
            }
            if isFailed { return }
            if let deadline, deadline <= .now {
                fail(RedisError(.timedOut, "no reply from \(name) in time; the connection was discarded"))
                return
            }
            var descriptors = [
                pollfd(fd: socket.descriptor, events: Int16(POLLIN) | (unwritten.isEmpty ? 0 : Int16(POLLOUT)), revents: 0),
                pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let waitMilliseconds = deadline.map { max(1, min(1000, milliseconds(until: $0))) } ?? 1000
            let ready = poll(&descriptors, 2, Int32(waitMilliseconds))
            if ready < 0 {
                if errno == EINTR { continue }
                fail(RedisError(.connectionClosed, "\(SocketError("poll", errno: errno))"))
                return
            }
            if descriptors[1].revents != 0 { wakeup.drain() }
            let events = descriptors[0].revents
            do {
                if events & Int16(POLLOUT) != 0, !unwritten.isEmpty {
                    let written = try unwritten.withUnsafeBytes { try socket.write($0) }
                    unwritten.removeFirst(written)
                }
                if events & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
                    guard let count = try readBuffer.withUnsafeMutableBytes({ try socket.read(into: $0) }) else {
                        continue
                    }
                    guard count > 0 else {
                        fail(RedisError(.connectionClosed, "\(name) closed the connection"))
                        return
                    }
                    decoder.feed(readBuffer[0..<count])
                    try deliverReplies(from: &decoder)
                }
            } catch let error as SocketError {
                fail(RedisError(.connectionClosed, "\(error)"))
                return
            } catch let error as RESPDecodingError {
                fail(RedisError(.protocolViolation, "\(error)"))
                return
            } catch let error as RedisError {
                fail(error)
                return
            } catch {
                fail(RedisError(.connectionClosed, "\(error)"))
                return
            }
        }
    }

    private func deliverReplies(from decoder: inout RESPDecoder) throws {
        while let reply = try decoder.next() {
            let waiting = state.withLock { $0.pending.popFirst() }
            guard let waiting else {
                throw RedisError(.protocolViolation, "a reply arrived that no command was waiting for")
            }
            waiting?.resume(returning: reply)
        }
    }

    private func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let remaining = ContinuousClock.now.duration(to: deadline)
        return Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
    }
}
