#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP address to connect to, copied out of `getaddrinfo`'s list so it can be kept (cached, or handed
/// from a lookup thread to an event loop).
package struct SocketAddress: Hashable, Sendable {
    let family: Int32
    let socketType: Int32
    let protocolNumber: Int32
    /// The `sockaddr` itself.
    let bytes: [UInt8]

    /// The addresses of a numeric host (`127.0.0.1`, `::1`), found without any lookup, so callable on an
    /// event loop; nil when `host` is a name.
    package static func numeric(host: String, port: Int) -> [SocketAddress]? {
        try? lookup(host: host, port: port, flags: AI_NUMERICHOST | AI_NUMERICSERV)
    }

    /// Every address `host` resolves to, in `getaddrinfo`'s order. Blocks while the name is looked up
    /// (hosts file, DNS), so never call it on an event loop or the cooperative pool.
    /// - Throws: ``SocketError`` naming `getaddrinfo`, with the host and the resolver's message.
    package static func resolve(host: String, port: Int) throws(SocketError) -> [SocketAddress] {
        try lookup(host: host, port: port, flags: 0)
    }

    private static func lookup(host: String, port: Int, flags: Int32) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = flags
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw SocketError("getaddrinfo", errno: 0, detail: "\(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let entry = candidate?.pointee {
            if let address = entry.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(entry.ai_addrlen))
                addresses.append(SocketAddress(
                    family: entry.ai_family, socketType: entry.ai_socktype, protocolNumber: entry.ai_protocol,
                    bytes: Array(bytes)))
            }
            candidate = entry.ai_next
        }
        return addresses
    }
}
