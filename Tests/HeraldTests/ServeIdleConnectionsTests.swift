import Foundation
import HeraldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `herald serve` holding 10,000 idle keep-alive connections: they cost buffers, not threads, and a new
/// client is still answered.
@Suite struct ServeIdleConnectionsTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("herald")
    static let idle = 10_000

    /// Raises this process's descriptor limit to what the clients need (the hard limit permitting).
    private func raiseDescriptorLimit(to wanted: rlim_t) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        try #require(limit.rlim_cur >= wanted, "the hard descriptor limit \(limit.rlim_max) is below \(wanted)")
    }

    private func serve(port: Int) async throws -> ChildProcess {
        let configPath = FileManager.default.temporaryDirectory.appendingPathComponent("herald-idle-\(port).json").path
        try Data(#"{"http": {"max_connections": 10100, "first_byte_timeout_s": 120, "idle_timeout_s": 120}}"#.utf8)
            .write(to: URL(fileURLWithPath: configPath))
        defer { try? FileManager.default.removeItem(atPath: configPath) }
        let server = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", #"ulimit -n 10400 && exec "$0" serve"#, Self.executable.path],
            environment: ["HERALD_PORT": String(port), "HERALD_CONFIG": configPath])
        #expect(try await server.waitForOutput { $0.contains { $0.contains("listening on") } }, "\(server.output)")
        return server
    }

    /// The `Threads:` line of `/proc/<pid>/status`.
    private func threadCount(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Threads:") })
        return try #require(Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)))
    }

    @Test(.timeLimit(.minutes(3)))
    func tenThousandIdleKeepAliveConnectionsLeaveANewClientAnsweredWithoutAThreadEach() async throws {
        try raiseDescriptorLimit(to: rlim_t(Self.idle + 300))
        let port = try freeLoopbackPort()
        let server = try await serve(port: port)
        defer { server.stop(signal: SIGTERM) }
        let threadsBefore = try threadCount(of: server.processIdentifier)
        let idle = try await onThread { () -> [RawHTTPClient] in
            var clients: [RawHTTPClient] = []
            clients.reserveCapacity(Self.idle)
            for _ in 0..<Self.idle {
                let client = try RawHTTPClient(port: port)
                guard try client.request("GET", "/healthz").status == 200 else { break }
                clients.append(client)
            }
            return clients
        }
        #expect(idle.count == Self.idle)

        let newcomer = try RawHTTPClient(port: port)
        #expect(try await onThread { try newcomer.request("GET", "/healthz") }.status == 200)
        let first = try #require(idle.first)
        #expect(try await onThread { try first.request("GET", "/healthz") }.status == 200)
        // Threads do not grow with connections: at most the cooperative pool filled up meanwhile.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(try threadCount(of: server.processIdentifier) <= threadsBefore + cores)
    }
}
