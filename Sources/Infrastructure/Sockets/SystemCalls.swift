#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a system call, retrying on `EINTR`, and throws ``SocketError`` naming the call otherwise.
/// `EAGAIN`/`EWOULDBLOCK` are returned as nil so non-blocking callers can wait and try again.
@discardableResult
package func systemCall<T: BinaryInteger>(_ name: String, _ body: () -> T) throws(SocketError) -> T? {
    while true {
        let result = body()
        guard result < 0 else { return result }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { return nil }
        throw SocketError(name, errno: code)
    }
}
