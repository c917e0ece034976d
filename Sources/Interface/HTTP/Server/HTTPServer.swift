import Foundation
import HeraldSockets
import Synchronization

/// Herald's embedded HTTP/1.1 server: keep-alive, pipelining, `Content-Length` and `chunked` bodies,
/// `Expect: 100-continue`, size limits, per-phase timeouts, a connection limit, graceful shutdown.
///
/// Every connection is served on an event loop of the process's shared group (one thread per core):
/// no thread per connection, so an idle keep-alive connection costs only its buffers. Requests reach the
/// async handler as tasks on the cooperative pool, and their answers go back to the connection's loop.
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
        var connections = HTTPConnectionTable<HTTPServerConnection>()
        /// Connections whose socket is open: those in the table plus those closed for a newcomer but not
        /// yet finished on their loop.
        var open = 0
        var isStopping = false
        var isListenerClosed = false
        var listenerClosedWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let configuration: Configuration
    /// The port the server listens on (the bound one when configured with port 0).
    public let port: Int
    let listener: TCPListener
    let handler: Handler
    let headCheck: HeadCheck?
    let rejectionObserver: RejectionObserver?
    let loops: EventLoopGroup
    let acceptor: HTTPAcceptor
    let state = Mutex(State())

    /// Binds the listening socket and starts accepting connections on an event loop.
    /// - Throws: `SocketError` when the address cannot be bound (in use, no permission) or the event
    ///   loops cannot be started.
    public init(
        configuration: Configuration, handler: @escaping Handler, rejectionObserver: RejectionObserver? = nil,
        headCheck: HeadCheck? = nil
    ) throws {
        self.headCheck = headCheck
        self.configuration = configuration
        self.handler = handler
        self.rejectionObserver = rejectionObserver
        loops = try EventLoopGroup.shared()
        listener = try TCPListener.open(host: configuration.host, port: configuration.port, backlog: 4096)
        port = listener.port
        acceptor = HTTPAcceptor(listener: listener, loop: loops.loops[0])
        acceptor.start(for: self)
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
        let connections = state.withLock { state in
            state.isStopping = true
            return state.connections.connections
        }
        acceptor.stop(for: self)
        for connection in connections {
            connection.loop.execute { connection.serverIsStopping() }
        }
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        while ContinuousClock.now < deadline, connectionCount > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for connection in state.withLock({ $0.connections.connections }) {
            connection.loop.execute { connection.close() }
        }
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while connectionCount > 0, ContinuousClock.now < hardDeadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isClosed = state.withLock { state in
                if !state.isListenerClosed { state.listenerClosedWaiters.append(continuation) }
                return state.isListenerClosed
            }
            if isClosed { continuation.resume() }
        }
    }

    /// How many connections are open now.
    public var connectionCount: Int { state.withLock { $0.open } }

    /// How many open connections wait for the first byte of a request.
    var idleConnectionCount: Int { state.withLock { $0.connections.idleCount } }

    var isStopping: Bool { state.withLock { $0.isStopping } }

    // MARK: - Told by connections (on their loops)

    /// Records that a connection waits for the first byte of its next request (it may be closed for a newcomer).
    func connectionIsIdle(_ id: HTTPConnectionTable<HTTPServerConnection>.ID) {
        state.withLock { $0.connections.markIdle(id) }
    }

    /// Records that a connection is reading or answering a request; false when it was closed as the
    /// oldest idle one meanwhile, and must not serve what it read.
    func connectionIsBusy(_ id: HTTPConnectionTable<HTTPServerConnection>.ID) -> Bool {
        state.withLock { $0.connections.markBusy(id) }
    }

    /// A connection's socket is closed.
    func connectionClosed(_ id: HTTPConnectionTable<HTTPServerConnection>.ID) {
        state.withLock { state in
            state.connections.remove(id)
            state.open -= 1
        }
    }

    /// The listener is closed: shutdown may return once the connections are gone too.
    func listenerClosed() {
        let waiting = state.withLock { state in
            state.isListenerClosed = true
            defer { state.listenerClosedWaiters = [] }
            return state.listenerClosedWaiters
        }
        for continuation in waiting { continuation.resume() }
    }
}
