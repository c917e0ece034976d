#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Connects a TCP socket without blocking, on an event loop: each address in turn gets a non-blocking
/// `connect`, and the loop says when it completed. The first that connects is handed to `completion`
/// (ready for a ``LoopStream``); when every address failed, the last failure is, its detail naming
/// `detail` (such as `host:port`).
///
/// It has no deadline of its own: its owner keeps one timer and calls ``cancel()`` when it fires.
/// Everything here runs on the loop's thread.
package final class LoopConnector: EventLoopHandler, @unchecked Sendable {
    private let loop: EventLoop
    private var addresses: ArraySlice<SocketAddress>
    private let detail: String
    private var completion: ((Result<TCPSocket, SocketError>) -> Void)?
    private var pending: (socket: TCPSocket, token: UInt64)?
    private var lastError: SocketError

    package init(
        loop: EventLoop, addresses: [SocketAddress], detail: String,
        completion: @escaping (Result<TCPSocket, SocketError>) -> Void
    ) {
        self.loop = loop
        self.addresses = addresses[...]
        self.detail = detail
        self.completion = completion
        lastError = SocketError("connect", errno: ECONNREFUSED, detail: detail)
    }

    /// Starts connecting to the first address; `completion` may be told before this returns.
    package func start() {
        tryNextAddress()
    }

    /// Gives up: closes the socket being connected; `completion` is never told.
    package func cancel() {
        completion = nil
        abandonPending()
    }

    package func handle(_ readiness: Readiness) {
        guard let (socket, _) = pending, readiness.isWritable || readiness.isClosed else { return }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let status = getsockopt(socket.descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
        if status != 0 { code = errno }
        if code == 0 {
            if let token = pending?.token { loop.deregister(socket.descriptor, token: token) }
            pending = nil
            return complete(.success(socket))
        }
        abandonPending()
        lastError = SocketError("connect", errno: code, detail: detail)
        tryNextAddress()
    }

    private func tryNextAddress() {
        while let address = addresses.popFirst(), completion != nil {
            do throws(SocketError) {
                if let socket = try startConnecting(to: address) { return complete(.success(socket)) }
                return
            } catch {
                lastError = SocketError(error.call, errno: error.errno, detail: detail)
            }
        }
        complete(.failure(lastError))
    }

    /// Starts connecting to `address`: the socket when it connected at once, nil when the loop will tell.
    private func startConnecting(to address: SocketAddress) throws(SocketError) -> TCPSocket? {
        guard let descriptor = try systemCall("socket", { socket(address.family, address.socketType, address.protocolNumber) })
        else { throw SocketError("socket", errno: EAGAIN) }
        let tcp = TCPSocket(descriptor: descriptor)
        do throws(SocketError) {
            try TCPSocket(descriptor: descriptor).configure()
            let status = address.bytes.withUnsafeBytes { bytes in
                bytes.withMemoryRebound(to: sockaddr.self) { connect(descriptor, $0.baseAddress, socklen_t(bytes.count)) }
            }
            if status == 0 { return tcp }
            guard errno == EINPROGRESS || errno == EINTR else { throw SocketError("connect", errno: errno) }
            let token = try loop.register(descriptor, interest: .writable, handler: self)
            pending = (tcp, token)
            return nil
        } catch {
            tcp.closeDescriptor()
            throw error
        }
    }

    private func abandonPending() {
        guard let (socket, token) = pending else { return }
        pending = nil
        loop.deregister(socket.descriptor, token: token)
        socket.closeDescriptor()
    }

    private func complete(_ result: Result<TCPSocket, SocketError>) {
        guard let completion else {
            if case .success(let socket) = result { socket.closeDescriptor() }
            return
        }
        self.completion = nil
        completion(result)
    }
}
