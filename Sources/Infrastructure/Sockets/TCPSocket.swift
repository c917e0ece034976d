import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connected, non-blocking TCP socket. Every call here may block the calling thread (name lookup,
/// connect, poll), so they run only on Herald's dedicated I/O threads, never on the cooperative pool.
package struct TCPSocket: Sendable {
    package let descriptor: Int32

    /// Wraps an already connected, non-blocking descriptor (from ``TCPListener/nextConnection(timeout:)``).
    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Resolves `host` and connects within `timeout`, trying each address in turn.
    package static func open(host: String, port: Int, timeout: Duration) throws(SocketError) -> TCPSocket {
        try open(host: host, port: port, deadline: .now + timeout)
    }

    /// Resolves `host` and connects by `deadline`, trying each address in turn within what is left of it
    /// (so a host with several unreachable addresses still gives up at the deadline).
    package static func open(
        host: String, port: Int, deadline: ContinuousClock.Instant
    ) throws(SocketError) -> TCPSocket {
        try AddressResolution.withAddresses(host: host, port: port, passive: false) { first throws(SocketError) in
            var lastError = SocketError("connect", errno: ECONNREFUSED, detail: "\(host):\(port)")
            var candidate: UnsafeMutablePointer<addrinfo>? = first
            while let address = candidate {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else {
                    throw SocketError("connect", errno: ETIMEDOUT, detail: "\(host):\(port)")
                }
                do throws(SocketError) {
                    return try open(address.pointee, timeout: remaining)
                } catch {
                    lastError = SocketError(error.call, errno: error.errno, detail: "\(host):\(port)")
                }
                candidate = address.pointee.ai_next
            }
            throw lastError
        }
    }

    private static func open(_ address: addrinfo, timeout: Duration) throws(SocketError) -> TCPSocket {
        guard let descriptor = try systemCall("socket", { socket(address.ai_family, address.ai_socktype, address.ai_protocol) })
        else { throw SocketError("socket", errno: EAGAIN) }
        let tcp = TCPSocket(descriptor: descriptor)
        do throws(SocketError) {
            try tcp.configure()
            if connect(descriptor, address.ai_addr, address.ai_addrlen) != 0 {
                guard errno == EINPROGRESS || errno == EINTR else { throw SocketError("connect", errno: errno) }
                guard try tcp.waitUntilReady(for: Int16(POLLOUT), timeout: timeout) else {
                    throw SocketError("connect", errno: ETIMEDOUT)
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                try systemCall("getsockopt") { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length) }
                guard code == 0 else { throw SocketError("connect", errno: code) }
            }
            return tcp
        } catch {
            tcp.closeDescriptor()
            throw error
        }
    }

    /// Non-blocking, no Nagle delay (commands are small and answered one by one), no SIGPIPE on macOS: what
    /// every socket Herald connects is set to, by ``open(host:port:deadline:)`` and by ``LoopConnector``.
    func configure() throws(SocketError) {
        let flags = try systemCall("fcntl") { fcntl(descriptor, F_GETFL) } ?? 0
        try systemCall("fcntl") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
        var one: Int32 = 1
        try systemCall("setsockopt") {
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        #if canImport(Darwin)
            try systemCall("setsockopt") {
                setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            }
        #endif
    }

    /// Waits until the socket is ready for `events`; false on timeout.
    package func waitUntilReady(for events: Int16, timeout: Duration) throws(SocketError) -> Bool {
        var descriptors = [pollfd(fd: descriptor, events: events, revents: 0)]
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = try systemCall("poll") { poll(&descriptors, 1, milliseconds) } ?? 0
        return ready > 0
    }

    /// Writes as much of `bytes` as the socket takes now; returns how many were written.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        return try systemCall("send") { send(descriptor, bytes.baseAddress, bytes.count, flags) } ?? 0
    }

    /// Reads what has arrived into `buffer`; returns the count, 0 at end of stream, nil when nothing is there.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        try systemCall("recv") { recv(descriptor, buffer.baseAddress, buffer.count, 0) }
    }

    /// Stops both directions, waking a thread blocked in `poll` on this socket.
    package func shutdownBothDirections() {
        #if canImport(Glibc)
            _ = shutdown(descriptor, Int32(SHUT_RDWR))
        #else
            _ = shutdown(descriptor, SHUT_RDWR)
        #endif
    }

    package func closeDescriptor() {
        _ = close(descriptor)
    }
}
