import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `redis-server` of this test's own on a free loopback port, stopped by its process id. `scripts/test` installs
/// Redis when it is missing; without it, the tests that need it are skipped.
final class RedisProcess: Sendable {
    let port: Int
    private let process: Process

    /// The `redis://` URL of this server.
    var url: String { "redis://127.0.0.1:\(port)/0" }

    static var executable: String? {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the server and returns once it logs that it accepts connections (or exits).
    init() async throws {
        guard let executable = Self.executable else { throw RedisProcessError("redis-server is not installed") }
        port = try Self.freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Self.waitUntilReady(output.fileHandleForReading)
    }

    /// Reads the server's output until it says it accepts connections, then keeps draining it (so the pipe
    /// never fills); throws when the output ends first.
    private static func waitUntilReady(_ output: FileHandle) async throws {
        let watch = ReadinessWatch()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            watch.waiter.withLock { $0 = continuation }
            output.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil }
                watch.read(data)
            }
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw RedisProcessError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard found else { throw RedisProcessError("no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// What `redis-server` printed so far, and the test waiting for its "Ready to accept connections".
private final class ReadinessWatch: Sendable {
    let waiter = Mutex<CheckedContinuation<Void, any Error>?>(nil)
    private let text = Mutex("")

    /// Takes the next chunk of output (empty at its end) and resumes the waiter once the outcome is known.
    func read(_ data: Data) {
        let ready = text.withLock { text in
            text += String(decoding: data, as: UTF8.self)
            return text.contains("Ready to accept connections")
        }
        guard ready || data.isEmpty, let waiter = waiter.withLock({ $0.take() }) else { return }
        if ready {
            waiter.resume()
        } else {
            waiter.resume(throwing: RedisProcessError("redis-server exited before accepting connections"))
        }
    }
}

struct RedisProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
