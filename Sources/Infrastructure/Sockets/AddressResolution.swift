#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves a host and port to TCP socket addresses (`getaddrinfo`), for connecting or, `passive`, binding.
enum AddressResolution {
    /// Runs `body` with the first of the resolved addresses (a linked list through `ai_next`), then frees them.
    static func withAddresses<T>(
        host: String, port: Int, passive: Bool, _ body: (UnsafeMutablePointer<addrinfo>) throws(SocketError) -> T
    ) throws(SocketError) -> T {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        if passive { hints.ai_flags = AI_PASSIVE }
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
        return try body(first)
    }
}
