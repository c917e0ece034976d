import Foundation
import HeraldApplication
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
package final class HTTPServer: Sendable {
    package typealias Handler = @Sendable (HeraldAPI.Request) async -> HeraldAPI.Response
    /// Told about every connection the server answered itself, without the handler (a malformed or slow
    /// request, or one over a limit): the status and why.
    package typealias RejectionObserver = @Sendable (_ status: Int, _ reason: String) -> Void
    /// Asked when a request's head has arrived (body empty): a response to send at once, closing the
    /// connection without reading the body (an unauthorized request), or nil to read the body and call the handler.
    package typealias HeadCheck = @Sendable (HeraldAPI.Request) -> HeraldAPI.Response?

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

    package let configuration: Configuration
    /// The port the server listens on (the bound one when configured with port 0).
    package let port: Int
    let listener: TCPListener
    let handler: Handler
    let headCheck: HeadCheck?
    let rejectionObserver: RejectionObserver?
    let loops: EventLoopGroup
    let acceptor: HTTPAcceptor
    let state = Mutex(State())
    /// Fired when the server is stopping and its last connection has closed.
    let allClosed = StopSignal()

    /// Binds the listening socket and starts accepting connections on an event loop.
    /// - Throws: `SocketError` when the address cannot be bound (in use, no permission) or the event
    ///   loops cannot be started.
    package init(
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
    package func run() async {
        await StopSignal().wait()
        await shutdown()
    }

    /// Stops accepting, lets in-flight requests finish (up to ``Configuration/shutdownTimeout``), closes
    /// idle keep-alive connections, and returns when every connection is closed.
    package func shutdown() async {
        let (connections, noneOpen) = state.withLock { state in
            state.isStopping = true
            return (state.connections.connections, state.open == 0)
        }
        if noneOpen { allClosed.fire() }
        acceptor.stop(for: self)
        for connection in connections {
            connection.loop.execute { connection.serverIsStopping() }
        }
        if await !allClosed.wait(atMost: configuration.shutdownTimeout) {
            for connection in state.withLock({ $0.connections.connections }) {
                connection.loop.execute { connection.close() }
            }
            _ = await allClosed.wait(atMost: .seconds(5))
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
    package var connectionCount: Int { state.withLock { $0.open } }

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
        let isLast = state.withLock { state in
            state.connections.remove(id)
            state.open -= 1
            return state.isStopping && state.open == 0
        }
        if isLast { allClosed.fire() }
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
