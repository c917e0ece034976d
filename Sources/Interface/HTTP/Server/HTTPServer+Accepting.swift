import Foundation
import HeraldSockets
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The accepting thread: admits connections (closing the oldest idle one at the cap), starts a thread
/// for each, and keeps accepting when the process runs out of descriptors.
extension HTTPServer {
    func acceptLoop() {
        var spare = SpareDescriptor()
        while !isStopping {
            let accepted: TCPSocket?
            do {
                accepted = try listener.nextConnection(timeout: .milliseconds(100))
            } catch where error.errno == EMFILE || error.errno == ENFILE {
                makeRoomForADescriptor(spare: &spare)
                continue
            } catch {
                rejectionObserver?(503, "cannot accept a connection: \(error)")
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            guard let socket = accepted else { continue }
            admit(socket)
        }
        spare.release()
        listener.closeDescriptor()
        let waiting = stopped.withLock { waiting -> [CheckedContinuation<Void, Never>] in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Admits `socket` (closing the oldest idle connection when at the cap) and starts its thread, or
    /// answers it `503` when every connection is busy or no thread can be started.
    private func admit(_ socket: TCPSocket) {
        let admitted = state.withLock { state -> HTTPConnectionTable<TCPSocket>.ID? in
            guard !state.isStopping else { return nil }
            if state.connections.count >= configuration.maxConnections {
                guard let oldest = state.connections.removeOldestIdle() else { return nil }
                // Under the lock: its thread closes the descriptor only after taking the lock itself.
                oldest.shutdownBothDirections()
            }
            state.threads += 1
            return state.connections.add(socket)
        }
        guard let id = admitted else { return refuse(socket, reason: "too many connections") }
        do {
            try DedicatedThread.start(name: "herald-http-io", stackSize: configuration.connectionStackBytes) { [self] in
                HTTPConnection(socket: socket, id: id, server: self).serve()
                finish(id, socket)
            }
        } catch {
            state.withLock { state in
                state.connections.remove(id)
                state.threads -= 1
            }
            refuse(socket, reason: "cannot start a connection thread: \(error)")
        }
    }

    /// Closes a served connection: out of the table first (so it is not closed twice), then the descriptor.
    private func finish(_ id: HTTPConnectionTable<TCPSocket>.ID, _ socket: TCPSocket) {
        _ = state.withLock { $0.connections.remove(id) }
        socket.closeDescriptor()
        state.withLock { $0.threads -= 1 }
    }

    private enum Room { case closing, closedOldestIdle, none }

    /// Out of descriptors: closes the oldest idle connection so the next accept succeeds, waits when such a
    /// close is already under way, and otherwise uses the spare descriptor to answer the next client `503`.
    private func makeRoomForADescriptor(spare: inout SpareDescriptor) {
        let room = state.withLock { state -> Room in
            if state.threads > state.connections.count { return .closing }
            guard let oldest = state.connections.removeOldestIdle() else { return .none }
            oldest.shutdownBothDirections()
            return .closedOldestIdle
        }
        switch room {
        case .closing, .closedOldestIdle:
            Thread.sleep(forTimeInterval: 0.002)
        case .none:
            spare.release()
            if let socket = try? listener.nextConnection(timeout: .zero) {
                refuse(socket, reason: "out of file descriptors")
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
            spare.reacquire()
        }
    }

    /// Answers `503` to a connection it cannot serve (without reading its request) and closes it.
    private func refuse(_ socket: TCPSocket, reason: String) {
        rejectionObserver?(503, reason)
        let body = #"{"error":{"code":"server_busy","message":"too many connections; try again","field":null}}"#
        let response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { try? socket.write($0) }
        socket.closeDescriptor()
    }
}
