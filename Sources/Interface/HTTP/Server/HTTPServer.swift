import Foundation
import HeraldSockets
import Synchronization

/// Herald's embedded HTTP/1.1 server: keep-alive, pipelining, `Content-Length` and `chunked` bodies,
/// `Expect: 100-continue`, size limits, per-phase timeouts, a connection limit, graceful shutdown.
///
/// Each connection is served by a dedicated thread doing blocking socket I/O with deadlines (never on
/// the cooperative pool); requests are handed to the async handler and the thread waits for its answer.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse
    /// Told about every connection the server answered itself, without the handler (a malformed or slow
    /// request, or one over a limit): the status and why.
    public typealias RejectionObserver = @Sendable (_ status: Int, _ reason: String) -> Void

    private struct State {
        var activeConnections = 0
        var isStopping = false
        var openSockets: [Int32: TCPSocket] = [:]
    }

    public let configuration: Configuration
    /// The port the server listens on (the bound one when configured with port 0).
    public let port: Int
    private let listener: TCPListener
    private let handler: Handler
    let rejectionObserver: RejectionObserver?
    private let state = Mutex(State())
    private let stopped = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// Binds the listening socket and starts accepting connections on a dedicated thread.
    /// - Throws: `SocketError` when the address cannot be bound (in use, no permission).
    public init(
        configuration: Configuration, handler: @escaping Handler, rejectionObserver: RejectionObserver? = nil
    ) throws {
        self.configuration = configuration
        self.handler = handler
        self.rejectionObserver = rejectionObserver
        self.listener = try TCPListener.open(host: configuration.host, port: configuration.port)
        self.port = listener.port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "herald-http-accept"
        thread.start()
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
        while ContinuousClock.now < deadline, state.withLock({ $0.activeConnections }) > 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
        state.withLock { state in
            for socket in state.openSockets.values { socket.shutdownBothDirections() }
        }
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while state.withLock({ $0.activeConnections }) > 0, ContinuousClock.now < hardDeadline {
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

    /// How many connections are open now.
    public var connectionCount: Int { state.withLock { $0.activeConnections } }

    var isStopping: Bool { state.withLock { $0.isStopping } }

    // MARK: - Threads

    private func acceptLoop() {
        while !isStopping {
            let accepted: TCPSocket?
            do {
                accepted = try listener.nextConnection(timeout: .milliseconds(100))
            } catch {
                // Out of descriptors (EMFILE) and the like: the listener stays readable, so back off.
                rejectionObserver?(503, "cannot accept a connection: \(error)")
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            guard let socket = accepted else { continue }
            let admitted = state.withLock { state -> Bool in
                guard state.activeConnections < configuration.maxConnections, !state.isStopping else { return false }
                state.activeConnections += 1
                state.openSockets[socket.descriptor] = socket
                return true
            }
            guard admitted else {
                refuse(socket)
                continue
            }
            let thread = Thread { [self] in
                HTTPConnection(socket: socket, server: self).serve()
                state.withLock { state in
                    state.openSockets[socket.descriptor] = nil
                    state.activeConnections -= 1
                }
                socket.closeDescriptor()
            }
            thread.name = "herald-http-connection"
            thread.stackSize = 512 * 1024
            thread.start()
        }
        listener.closeDescriptor()
        let waiting = stopped.withLock { waiting -> [CheckedContinuation<Void, Never>] in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Answers `503` to a connection over the limit (without reading its request) and closes it.
    private func refuse(_ socket: TCPSocket) {
        rejectionObserver?(503, "too many connections")
        let body = #"{"error":{"code":"server_busy","message":"too many connections; try again","field":null}}"#
        let response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { try? socket.write($0) }
        socket.closeDescriptor()
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
