import Foundation
import HeraldSockets
import Synchronization

/// Herald's embedded HTTP/1.1 server: keep-alive, pipelining, `Content-Length` and `chunked` bodies,
/// `Expect: 100-continue`, size limits, per-phase timeouts, a connection limit, graceful shutdown.
///
/// Each connection is served by a dedicated thread doing blocking socket I/O with deadlines (never on
/// the cooperative pool); requests are handed to the async handler and the thread waits for its answer.
/// At ``Configuration/maxConnections``, or when the process runs out of descriptors, the connection idle
/// longest is closed to admit a new client; only when none is idle is the new client answered `503`.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse
    /// Told about every connection the server answered itself, without the handler (a malformed or slow
    /// request, or one over a limit): the status and why.
    public typealias RejectionObserver = @Sendable (_ status: Int, _ reason: String) -> Void
    /// Asked when a request's head has arrived (body empty): a response to send at once, closing the
    /// connection without reading the body (an unauthorized request), or nil to read the body and call the handler.
    public typealias HeadCheck = @Sendable (HTTPRequest) -> HTTPResponse?

    struct State {
        /// Open connections, and which are idle; one closed as the oldest idle leaves it at once.
        var connections = HTTPConnectionTable<TCPSocket>()
        /// Connection threads alive: the open connections plus those closed but not finished yet.
        var threads = 0
        var isStopping = false
    }

    public let configuration: Configuration
    /// The port the server listens on (the bound one when configured with port 0).
    public let port: Int
    let listener: TCPListener
    private let handler: Handler
    let headCheck: HeadCheck?
    let rejectionObserver: RejectionObserver?
    let state = Mutex(State())
    let stopped = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// Binds the listening socket and starts accepting connections on a dedicated thread.
    /// - Throws: `SocketError` when the address cannot be bound (in use, no permission) or the accepting
    ///   thread cannot be started.
    public init(
        configuration: Configuration, handler: @escaping Handler, rejectionObserver: RejectionObserver? = nil,
        headCheck: HeadCheck? = nil
    ) throws {
        self.headCheck = headCheck
        self.configuration = configuration
        self.handler = handler
        self.rejectionObserver = rejectionObserver
        self.listener = try TCPListener.open(host: configuration.host, port: configuration.port)
        self.port = listener.port
        do {
            try DedicatedThread.start(name: "herald-http-accept") { [self] in acceptLoop() }
        } catch {
            listener.closeDescriptor()
            throw error
        }
    }

    /// Serves until the task is cancelled, then shuts down gracefully.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    /// Stops accepting, lets in-flight requests finish (up to ``Configuration/shutdownTimeout``), closes
    /// idle keep-alive connections, and returns when every connection is closed.
    public func shutdown() async {
        state.withLock { $0.isStopping = true }
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        while ContinuousClock.now < deadline, state.withLock({ $0.threads }) > 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
        state.withLock { state in
            for socket in state.connections.connections { socket.shutdownBothDirections() }
        }
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while state.withLock({ $0.threads }) > 0, ContinuousClock.now < hardDeadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isDone = stopped.withLock { waiting -> Bool in
                guard waiting != nil else { return true }
                waiting?.append(continuation)
                return false
            }
            if isDone { continuation.resume() }
        }
    }

    /// How many connections are open now (closed ones count until their thread has finished).
    public var connectionCount: Int { state.withLock { $0.threads } }

    /// How many open connections wait for the first byte of a request.
    var idleConnectionCount: Int { state.withLock { $0.connections.idleCount } }

    var isStopping: Bool { state.withLock { $0.isStopping } }

    // MARK: - Connection threads

    /// Records that a connection waits for the first byte of its next request (it may be closed for a newcomer).
    func connectionIsIdle(_ id: HTTPConnectionTable<TCPSocket>.ID) {
        state.withLock { $0.connections.markIdle(id) }
    }

    /// Records that a connection is reading or answering a request; false when it was closed as the
    /// oldest idle one meanwhile, and must not serve what it read.
    func connectionIsBusy(_ id: HTTPConnectionTable<TCPSocket>.ID) -> Bool {
        state.withLock { $0.connections.markBusy(id) }
    }

    /// Runs the async handler for a connection thread and waits for its response.
    func respond(to request: HTTPRequest) -> HTTPResponse {
        let box = ResponseBox()
        let semaphore = DispatchSemaphore(value: 0)
        let handler = handler
        Task {
            box.set(await handler(request))
            semaphore.signal()
        }
        semaphore.wait()
        return box.value ?? HTTPResponse(status: 500)
    }
}

/// Carries a response from the handler task to the waiting connection thread.
private final class ResponseBox: Sendable {
    private let response = Mutex<HTTPResponse?>(nil)
    func set(_ value: HTTPResponse) { response.withLock { $0 = value } }
    var value: HTTPResponse? { response.withLock { $0 } }
}
