import HeraldSockets
import Synchronization

/// One TCP connection to Redis with pipelining, served by an event loop: every command submitted before
/// the loop's next flush goes out in one write, and replies are matched to callers in FIFO order.
///
/// Callers encode their command into the ``RedisPipeline`` under the connection's lock and suspend on a
/// continuation; the first caller since the last flush hands the loop one flush. All socket I/O, decoding
/// and the reply timer run on the loop's thread, never on the cooperative pool. When the connection drops,
/// the bytes are not RESP or the oldest reply is late, every caller in flight gets an error and the
/// connection is closed for good (it is never reused).
final class RedisConnection: Sendable {
    private typealias Waiter = CheckedContinuation<RESPValue, any Error>

    /// What only the loop's thread touches: the stream, the decoder, the buffers and the armed timer.
    private final class LoopSide: @unchecked Sendable {
        let stream: LoopStream
        var decoder = RESPDecoder()
        var writeBuffer: [UInt8] = []
        var replies: [RESPValue] = []
        var timer: UInt64?

        init(stream: LoopStream) {
            self.stream = stream
        }
    }

    private let pipeline: Mutex<RedisPipeline<Waiter>>
    private let nextID = Atomic<UInt64>(0)
    private let loop: EventLoop
    private let loopSide: LoopSide
    /// A human-readable name (`127.0.0.1:6379#3`) for logs.
    let name: String

    private init(stream: LoopStream, name: String) {
        self.loop = stream.loop
        self.loopSide = LoopSide(stream: stream)
        self.pipeline = Mutex(RedisPipeline(name: name))
        self.name = name
    }

    /// Connects on a short-lived dedicated thread (name lookup and `connect` block), then serves the
    /// socket on the next loop of the shared group.
    /// - Throws: ``RedisError`` `.connectionFailed` when the connection cannot be made, or when the loops or
    ///   the connect thread cannot be started (the error names `pthread_create`).
    static func open(host: String, port: Int, timeout: Duration, name: String) async throws -> RedisConnection {
        let loop: EventLoop
        do {
            loop = try EventLoopGroup.shared().next()
        } catch {
            throw RedisError(.connectionFailed, "\(error)")
        }
        let socket = try await connect(host: host, port: port, timeout: timeout)
        return try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                let connection = RedisConnection(stream: LoopStream(loop: loop, socket: socket), name: name)
                do throws(SocketError) {
                    try connection.start()
                    continuation.resume(returning: connection)
                } catch {
                    socket.closeDescriptor()
                    continuation.resume(throwing: RedisError(.connectionFailed, "\(error)"))
                }
            }
        }
    }

    private static func connect(host: String, port: Int, timeout: Duration) async throws -> TCPSocket {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TCPSocket, any Error>) in
            do {
                try DedicatedThread.start(name: "herald-redis-connect") {
                    do {
                        continuation.resume(returning: try TCPSocket.open(host: host, port: port, timeout: timeout))
                    } catch {
                        continuation.resume(throwing: RedisError(.connectionFailed, "\(error)"))
                    }
                }
            } catch {
                continuation.resume(throwing: RedisError(.connectionFailed, "\(error)"))
            }
        }
    }

    /// Whether the connection has failed or was closed; a closed connection never recovers.
    var isClosed: Bool { pipeline.withLock { $0.failure != nil } }

    /// How many replies are outstanding.
    var pendingCount: Int { pipeline.withLock { $0.pendingCount } }

    /// Sends `command` and waits for its reply.
    /// - Parameters:
    ///   - timeout: how long the reply may take; past it the connection is closed and every caller fails.
    ///   - cancellable: a cancelled caller returns at once with `CancellationError` (its reply is dropped
    ///     when it arrives); blocking commands pass false and always wait for their reply.
    /// - Throws: ``RedisError``: `.server` for an error reply, or a connection failure.
    func send(_ command: RESPCommand, timeout: Duration?, cancellable: Bool = true) async throws -> RESPValue {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let reply: RESPValue = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                // Checked under the lock that cancel takes, so a cancellation is seen here or by onCancel.
                let (refusal, mustScheduleFlush): ((any Error)?, Bool) = pipeline.withLock { pipeline in
                    if pipeline.failure == nil, cancellable, Task.isCancelled { return (CancellationError(), false) }
                    switch pipeline.submit(command, id: id, deadline: deadline, waiter: continuation) {
                    case .failed(let failure): return (failure, false)
                    case .queued(let mustScheduleFlush): return (nil, mustScheduleFlush)
                    }
                }
                if let refusal { continuation.resume(throwing: refusal) }
                if mustScheduleFlush { loop.execute { self.flush() } }
            }
        } onCancel: {
            guard cancellable else { return }
            pipeline.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Closes the connection once the replies already asked for are in; new commands are refused meanwhile.
    /// A client following a topology change drops its old connections this way, so commands the old server
    /// already ran still get their answers.
    func retire() {
        if pipeline.withLock({ $0.retire() }) { loop.execute { self.closeStream() } }
    }

    /// Closes the connection; callers in flight get `connectionClosed`.
    func close() {
        resumeFailed(pipeline.withLock { $0.fail(RedisError(.connectionClosed, "the connection to \(name) was closed")) })
        loop.execute { self.closeStream() }
    }

    private func resumeFailed(_ outcome: (failure: RedisError, waiters: [Waiter])) {
        for waiter in outcome.waiters { waiter.resume(throwing: outcome.failure) }
    }

    // MARK: - On the loop thread

    /// Registers the stream; its callbacks are set only once it is registered, so a failed start leaves
    /// nothing that refers back to this connection.
    private func start() throws(SocketError) {
        let stream = loopSide.stream
        try stream.start()
        stream.onBytes = { [self] bytes in received(bytes) }
        stream.onClosed = { [self] error in
            let reason = error.map { "\($0)" } ?? "\(name) closed the connection"
            fail(RedisError(.connectionClosed, reason))
        }
    }

    /// Writes everything submitted since the last flush in one write.
    private func flush() {
        let side = loopSide
        let timerDeadline = pipeline.withLock { $0.flush(into: &side.writeBuffer) }
        if !side.writeBuffer.isEmpty {
            side.stream.write(side.writeBuffer)
            side.writeBuffer.removeAll(keepingCapacity: true)
        }
        if let timerDeadline { armTimer(at: timerDeadline) }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        let side = loopSide
        side.decoder.feed(bytes)
        side.replies.removeAll(keepingCapacity: true)
        var decodingError: RESPDecodingError?
        do throws(RESPDecodingError) {
            while let reply = try side.decoder.next() { side.replies.append(reply) }
        } catch {
            decodingError = error
        }
        let delivery = pipeline.withLock { $0.deliver(side.replies) }
        for (waiter, reply) in delivery.replies { waiter.resume(returning: reply) }
        if let deadline = delivery.armTimer { armTimer(at: deadline) }
        if let decodingError {
            fail(RedisError(.protocolViolation, "\(decodingError)"))
        } else if delivery.mustClose {
            closeStream()
        }
    }

    /// Arms the connection's one reply timer for `deadline`, disarming the one armed before.
    private func armTimer(at deadline: ContinuousClock.Instant) {
        if let timer = loopSide.timer { loop.cancelTimer(timer) }
        loopSide.timer = loop.schedule(at: deadline) { [self] in timerFired() }
    }

    private func timerFired() {
        loopSide.timer = nil
        switch pipeline.withLock({ $0.timerFired(at: .now) }) {
        case .idle:
            break
        case .rearm(let deadline):
            armTimer(at: deadline)
        case .expired(let failure, let waiters):
            resumeFailed((failure, waiters))
            closeStream()
        }
    }

    private func fail(_ error: RedisError) {
        resumeFailed(pipeline.withLock { $0.fail(error) })
        closeStream()
    }

    private func closeStream() {
        if let timer = loopSide.timer {
            loop.cancelTimer(timer)
            loopSide.timer = nil
        }
        loopSide.stream.close()
    }
}
