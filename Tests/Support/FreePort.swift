import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `body` with a new TCP socket and the address 127.0.0.1:`port` (0: any), closing the socket after;
/// nil when no socket could be made. What the port helpers and server probes share.
func withLoopbackSocket<T>(port: Int, _ body: (Int32, inout sockaddr_in) -> T) -> T? {
    #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return body(descriptor, &address)
}

/// `bind` or `connect` (`call`) on `descriptor` to `address`; 0 on success.
func socketCall(
    _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, _ descriptor: Int32, _ address: inout sockaddr_in
) -> Int32 {
    withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
public func freeLoopbackPort() throws -> Int {
    let port: Int?? = withLoopbackSocket(port: 0) { descriptor, address in
        guard socketCall(bind, descriptor, &address) == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
    guard let port = port ?? nil else { throw TestServerError("no loopback port could be bound: errno \(errno)") }
    return port
}

/// A test server could not be started or stopped.
public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A free loopback port for a Redis Cluster node: below 55536, with the cluster bus port (port + 10000) free too.
public func freeClusterNodePort() throws -> Int {
    for _ in 0..<200 {
        let port = try freeLoopbackPort()
        guard port + 10_000 <= 65_535, isFree(port + 10_000) else { continue }
        return port
    }
    throw TestServerError("no free port pair for a cluster node")
}

/// Whether `port` on 127.0.0.1 can be bound now.
private func isFree(_ port: Int) -> Bool {
    withLoopbackSocket(port: port) { descriptor, address in socketCall(bind, descriptor, &address) == 0 } ?? false
}
