import Foundation
import HeraldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `herald serve` holding 10,000 idle keep-alive connections: they cost buffers, not threads, and a new
/// client is still answered. The idle clients are a child process (`idle_clients.py`), which raises its own
/// descriptor limit.
@Suite struct ServeIdleConnectionsTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("herald")
    static let idle = 10_000

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

    /// `Tests/Support/Servers/idle_clients.py`, holding `count` idle keep-alive connections to `port`.
    private func idleClients(port: Int, count: Int) throws -> ChildProcess {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Support/Servers/idle_clients.py").standardized
        let python = try #require(
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "python3 is not installed; run scripts/test, which installs it")
        return try ChildProcess(URL(fileURLWithPath: python), arguments: [script.path, String(port), String(count)])
    }

    @Test(.timeLimit(.minutes(3)))
    func tenThousandIdleKeepAliveConnectionsLeaveANewClientAnsweredWithoutAThreadEach() async throws {
        let port = try freeLoopbackPort()
        let server = try await serve(port: port)
        defer { server.stop(signal: SIGTERM) }
        let threadsBefore = try threadCount(of: server.processIdentifier)
        let clients = try idleClients(port: port, count: Self.idle)
        defer { clients.stop(signal: SIGKILL) }
        #expect(
            try await clients.waitForOutput(timeout: .seconds(150)) { $0.contains { $0.hasPrefix("open ") } },
            "\(clients.output.suffix(5))")
        #expect(clients.output.contains("open \(Self.idle)"), "\(clients.output.suffix(5))")

        let newcomer = try RawHTTPClient(port: port)
        #expect(try await onThread { try newcomer.request("GET", "/healthz") }.status == 200)
        #expect(try await clients.waitForOutput(timeout: .seconds(10)) { $0.contains("first 200") }, "\(clients.output.suffix(5))")
        // Threads do not grow with connections: at most the cooperative pool filled up meanwhile.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(try threadCount(of: server.processIdentifier) <= threadsBefore + cores)
    }
}
