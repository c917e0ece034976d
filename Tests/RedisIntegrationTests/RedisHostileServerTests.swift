import HeraldRedis
import HeraldSockets
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A client whose server answers with bytes that are not RESP, or hangs up in the middle of a reply, fails
/// the command with the reason (and does not crash or hang).
@Suite struct RedisHostileServerTests {
    @Test(.timeLimit(.minutes(1)))
    func bytesThatAreNotRESPFailTheCommandWithAProtocolViolation() async throws {
        let server = try ScriptedRedisServer(answer: Array("?garbage\r\n".utf8), thenClose: false)
        defer { server.stop() }
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 1))
        defer { client.shutdown() }
        await #expect {
            try await client.send(RESPCommand("PING"))
        } throws: { error in
            (error as? RedisError)?.code == .protocolViolation
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aServerThatHangsUpMidReplyFailsTheCommandWithConnectionClosed() async throws {
        let server = try ScriptedRedisServer(answer: Array("$10\r\nabc".utf8), thenClose: true)
        defer { server.stop() }
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 1))
        defer { client.shutdown() }
        await #expect {
            try await client.send(RESPCommand("PING"))
        } throws: { error in
            (error as? RedisError)?.code == .connectionClosed
        }
    }
}

/// A stand-in for Redis on a loopback port: it accepts one connection, answers the first bytes it reads
/// with `answer` (which need not be RESP), then hangs up when `thenClose`, else holds the connection until
/// ``stop()``.
final class ScriptedRedisServer: Sendable {
    let port: Int
    private let isStopped = Atomic<Bool>(false)

    init(answer: [UInt8], thenClose: Bool) throws {
        let listener = try TCPListener.open(host: "127.0.0.1", port: 0)
        port = listener.port
        do {
            try DedicatedThread.start(name: "scripted-redis") { [self] in
                defer { listener.closeDescriptor() }
                var connection: TCPSocket?
                while connection == nil, !self.isStopped.load(ordering: .relaxed) {
                    connection = try? listener.nextConnection(timeout: .milliseconds(100))
                }
                guard let connection else { return }
                defer { connection.closeDescriptor() }
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !self.isStopped.load(ordering: .relaxed) {
                    guard (try? connection.waitUntilReady(for: Int16(POLLIN), timeout: .milliseconds(100))) == true else { continue }
                    let count = try? buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
                    guard let count, count > 0 else { return }
                    _ = try? answer.withUnsafeBytes { try connection.write($0) }
                    if thenClose { return }
                }
            }
        } catch {
            listener.closeDescriptor()
            throw error
        }
    }

    /// Ends the thread (within 100 ms) and closes its sockets.
    func stop() {
        isStopped.store(true, ordering: .relaxed)
    }
}
