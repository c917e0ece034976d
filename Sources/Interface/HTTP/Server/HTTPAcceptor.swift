import HeraldSockets
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Accepts connections on one event loop and hands each to a loop of the group in turn: admits it
/// (closing the oldest idle connection at the cap), or answers `503` when every connection is busy, and
/// keeps accepting when the process runs out of descriptors.
///
/// It holds the server strongly only while the listener is open. Everything here runs on its loop.
final class HTTPAcceptor: EventLoopHandler, @unchecked Sendable {
    private let listener: TCPListener
    private let loop: EventLoop
    private var server: HTTPServer?
    private var token: UInt64?
    private var spare = SpareDescriptor()
    private var isPaused = false

    init(listener: TCPListener, loop: EventLoop) {
        self.listener = listener
        self.loop = loop
    }

    /// Starts accepting for `server` (on the loop, soon).
    func start(for server: HTTPServer) {
        loop.execute { [self] in
            self.server = server
            do {
                token = try loop.register(listener.descriptor, interest: .readable, handler: self)
            } catch {
                server.rejectionObserver?(503, "cannot accept connections: \(error)")
                closeListener()
            }
        }
    }

    /// Stops accepting and closes the listener (on the loop, soon); the server is told when it is closed.
    func stop(for server: HTTPServer) {
        loop.execute { [self] in closeListener() }
    }

    func handle(_ readiness: Readiness) {
        guard let server, !isPaused else { return }
        // A bounded batch per turn, so one busy listener does not starve the loop's connections.
        for attempt in 0..<64 {
            do throws(SocketError) {
                guard let socket = try listener.acceptWaiting() else { return }
                admit(socket, to: server)
            } catch where error.errno == EMFILE || error.errno == ENFILE {
                // `accept` fails so whether or not a client waits; only the first attempt of a turn
                // knows one does (the loop reported the listener readable). Later ones wait for that.
                guard attempt == 0 else { return }
                return makeRoomForADescriptor(server)
            } catch where error.errno == ECONNABORTED || error.errno == EPROTO {
                continue
            } catch {
                server.rejectionObserver?(503, "cannot accept a connection: \(error)")
                return pause(for: .milliseconds(50))
            }
        }
    }

    private func closeListener() {
        guard let server else { return }
        if let token { loop.deregister(listener.descriptor, token: token) }
        token = nil
        spare.release()
        listener.closeDescriptor()
        self.server = nil
        server.listenerClosed()
    }

    /// Admits `socket` on the next loop (closing the oldest idle connection when at the cap), or answers it
    /// `503` when every connection is busy.
    private func admit(_ socket: TCPSocket, to server: HTTPServer) {
        let target = server.loops.next()
        let stream = LoopStream(loop: target, socket: socket)
        let admitted = server.state.withLock { state -> (HTTPServerConnection, HTTPServerConnection?)? in
            guard !state.isStopping else { return nil }
            var evicted: HTTPServerConnection?
            if state.connections.count >= server.configuration.maxConnections {
                guard let oldest = state.connections.removeOldestIdle() else { return nil }
                evicted = oldest
            }
            var connection: HTTPServerConnection?
            state.connections.add { id in
                let made = HTTPServerConnection(id: id, stream: stream, server: server)
                connection = made
                return made
            }
            state.open += 1
            return connection.map { ($0, evicted) }
        }
        guard let (connection, evicted) = admitted else {
            return refuse(socket, server: server, reason: "too many connections")
        }
        if let evicted { evicted.loop.execute { evicted.close() } }
        target.execute {
            guard connection.start() else {
                server.connectionClosed(connection.id)
                return HTTPAcceptor.refuse(socket, server: server, reason: "the event loop cannot take the connection")
            }
        }
    }

    /// Out of descriptors: closes the oldest idle connection so a later accept succeeds, and otherwise uses
    /// the spare descriptor to answer the next client `503`. Accepting pauses briefly either way, as the
    /// listener stays readable until a descriptor is free.
    private func makeRoomForADescriptor(_ server: HTTPServer) {
        let oldest = server.state.withLock { $0.connections.removeOldestIdle() }
        if let oldest {
            oldest.loop.execute { oldest.close() }
            return pause(for: .milliseconds(2))
        }
        spare.release()
        if let socket = try? listener.acceptWaiting() {
            refuse(socket, server: server, reason: "out of file descriptors")
        }
        spare.reacquire()
        pause(for: .milliseconds(50))
    }

    private func pause(for duration: Duration) {
        guard let token, !isPaused else { return }
        isPaused = true
        try? loop.reregister(listener.descriptor, token: token, interest: [])
        loop.schedule(at: .now + duration) { [self] in
            isPaused = false
            guard let current = self.token else { return }
            try? loop.reregister(listener.descriptor, token: current, interest: .readable)
        }
    }

    private func refuse(_ socket: TCPSocket, server: HTTPServer, reason: String) {
        Self.refuse(socket, server: server, reason: reason)
    }

    /// Answers `503` to a connection the server cannot serve (without reading its request) and closes it.
    private static func refuse(_ socket: TCPSocket, server: HTTPServer, reason: String) {
        server.rejectionObserver?(503, reason)
        _ = HTTPResponseEncoder.serverBusy.withUnsafeBytes { try? socket.write($0) }
        socket.closeDescriptor()
    }
}
