import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A listening, non-blocking TCP socket (IPv4 or IPv6, `SO_REUSEADDR`): served by an event loop through
/// ``acceptWaiting()``, or by a thread through ``nextConnection(timeout:)``.
package struct TCPListener: Sendable {
    package let descriptor: Int32
    /// The bound port (useful after binding port 0).
    package let port: Int

    package static func open(host: String, port: Int, backlog: Int32 = 512) throws(SocketError) -> TCPListener {
        try AddressResolution.withAddresses(host: host, port: port, passive: true) { address throws(SocketError) in
            try bindAndListen(address, backlog: backlog)
        }
    }

    private static func bindAndListen(_ address: UnsafeMutablePointer<addrinfo>, backlog: Int32) throws(SocketError) -> TCPListener {
        guard let descriptor = try systemCall("socket", { socket(address.pointee.ai_family, address.pointee.ai_socktype, 0) })
        else { throw SocketError("socket", errno: EAGAIN) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        do throws(SocketError) {
            try systemCall("bind") { bind(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) }
            try systemCall("listen") { listen(descriptor, backlog) }
            let flags = fcntl(descriptor, F_GETFL)
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            let family = storage.ss_family
            let boundPort: UInt16 = withUnsafePointer(to: &storage) { pointer in
                if family == sa_family_t(AF_INET6) {
                    return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                }
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
            return TCPListener(descriptor: descriptor, port: Int(boundPort))
        } catch {
            _ = close(descriptor)
            throw error
        }
    }

    /// Waits up to `timeout` for a connection; nil when none came. The returned socket is non-blocking.
    package func nextConnection(timeout: Duration) throws(SocketError) -> TCPSocket? {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard (try systemCall("poll") { poll(&descriptors, 1, milliseconds) } ?? 0) > 0 else { return nil }
        return try acceptWaiting()
    }

    /// Accepts a connection already waiting, without blocking; nil when none is (the listener is
    /// non-blocking). The returned socket is non-blocking, with `TCP_NODELAY`.
    package func acceptWaiting() throws(SocketError) -> TCPSocket? {
        guard let client = try systemCall("accept", { accept(descriptor, nil, nil) }) else { return nil }
        let flags = fcntl(client, F_GETFL)
        _ = fcntl(client, F_SETFL, flags | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return TCPSocket(descriptor: client)
    }

    package func closeDescriptor() {
        _ = close(descriptor)
    }
}
