/// A failed system call on a socket: the call's name and its `errno`.
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32
    public let detail: String?

    public init(_ call: String, errno: Int32, detail: String? = nil) {
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = "\(call) failed: \(String(cString: strerrorText(errno))) (errno \(errno))"
        if let detail { text += ": \(detail)" }
        return text
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func strerrorText(_ code: Int32) -> UnsafeMutablePointer<CChar> {
    strerror(code)
}
