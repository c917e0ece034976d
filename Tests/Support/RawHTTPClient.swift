public import Foundation
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A response read off the wire by ``RawHTTPClient``.
public struct RawResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    public var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately low-level HTTP/1.1 client for server tests: writes exactly the bytes given (malformed,
/// pipelined, trickled) and reads responses one at a time. Blocking, with deadlines; call it from a
/// dedicated thread or a detached task in tests.
public final class RawHTTPClient: @unchecked Sendable {
    // @unchecked: one test owns one client and uses it from one task at a time.
    private let socket: TCPSocket
    private var buffer: [UInt8] = []

    public init(port: Int, host: String = "127.0.0.1") throws {
        socket = try TCPSocket.open(host: host, port: port, timeout: .seconds(5))
    }

    deinit { socket.closeDescriptor() }

    /// Writes raw bytes.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            guard try socket.waitUntilReady(for: Int16(POLLOUT), timeout: .seconds(5)) else {
                throw TestServerError("write timed out")
            }
            offset += try bytes[offset...].withUnsafeBytes { try socket.write($0) }
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Sends a well-formed request.
    public func request(
        _ method: String, _ target: String, body: String? = nil, headers: [String: String] = [:],
        contentType: String? = "application/json"
    ) throws -> RawResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let contentType, body != nil { head += "Content-Type: \(contentType)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        try write(head + "\r\n" + (body ?? ""))
        return try readResponse()
    }

    /// Reads one response (Content-Length framed), waiting up to `timeout`.
    public func readResponse(timeout: Duration = .seconds(10)) throws -> RawResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let status = Int(head[0].split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if buffer.count >= end + 4 + length {
                    let body = Data(buffer[(end + 4)..<(end + 4 + length)])
                    buffer.removeFirst(end + 4 + length)
                    if status == 100 { continue }
                    return RawResponse(status: status, headers: headers, body: body)
                }
            }
            guard try receive(until: deadline) else { throw TestServerError("the connection closed before a full response") }
        }
    }

    /// Every byte the server sends until it closes the connection (or `timeout` passes).
    public func readUntilClosed(timeout: Duration = .seconds(5)) -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, (try? receive(until: deadline)) == true {}
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Whether the server closed the connection (reads end of stream within `timeout`).
    public func isClosedByServer(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let received = try? receive(until: deadline) else { return true }
            if !received { return true }
        }
        return false
    }

    private func receive(until deadline: ContinuousClock.Instant) throws -> Bool {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero, try socket.waitUntilReady(for: Int16(POLLIN), timeout: left) else {
            throw TestServerError("no response in time")
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        guard let count = try chunk.withUnsafeMutableBytes({ try socket.read(into: $0) }) else { return true }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index..<index + pattern.count].elementsEqual(pattern) {
            return index
        }
        return nil
    }
}

/// Runs blocking test I/O on a thread of its own, so it never ties up the cooperative pool the server's
/// handler needs (on a 2-core machine the pool has 2 threads).
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
