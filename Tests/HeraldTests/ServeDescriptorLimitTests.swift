import Foundation
import HeraldTestSupport
import Testing

/// `herald serve` with fewer file descriptors than `http.max_connections`: a flood of idle sockets that
/// exhausts the descriptors must not lock a new client out.
@Suite struct ServeDescriptorLimitTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("herald")

    /// Starts `herald serve` limited to 64 descriptors, with connections allowed to stay silent for a minute.
    private func serveWithFewDescriptors(port: Int) async throws -> ChildProcess {
        let configPath = FileManager.default.temporaryDirectory.appendingPathComponent("herald-fd-\(port).json").path
        try Data(#"{"http": {"first_byte_timeout_s": 60, "idle_timeout_s": 60}}"#.utf8)
            .write(to: URL(fileURLWithPath: configPath))
        defer { try? FileManager.default.removeItem(atPath: configPath) }
        let server = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", #"ulimit -n 64 && exec "$0" serve"#, Self.executable.path],
            environment: ["HERALD_PORT": String(port), "HERALD_CONFIG": configPath])
        #expect(try await server.waitForOutput { $0.contains { $0.contains("listening on") } }, "\(server.output)")
        return server
    }

    @Test(.timeLimit(.minutes(1)))
    func outOfDescriptorsTheOldestIdleConnectionIsClosedForANewClient() async throws {
        let port = try freeLoopbackPort()
        let server = try await serveWithFewDescriptors(port: port)
        let flood = try (0..<80).map { _ in try RawHTTPClient(port: port) }
        let newcomer = try RawHTTPClient(port: port)
        let answer = try await onThread {
            try newcomer.write("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            return try newcomer.readResponse(timeout: .seconds(5))
        }
        #expect(answer.status == 200)
        let oldest = flood[0]
        #expect(try await onThread { oldest.isClosedByServer(timeout: .seconds(2)) })
        let newest = flood[79]
        #expect(try await onThread { try newest.request("GET", "/healthz") }.status == 200)
        server.stop(signal: SIGTERM)
    }

    @Test(.timeLimit(.minutes(1)))
    func outOfDescriptorsWithEveryConnectionBusyANewClientIsAnswered503() async throws {
        let port = try freeLoopbackPort()
        let server = try await serveWithFewDescriptors(port: port)
        var (busy, refusal) = try await onThread { () -> ([RawHTTPClient], RawResponse?) in
            var busy: [RawHTTPClient] = []
            for _ in 0..<100 {
                let client = try RawHTTPClient(port: port)
                if let answer = try? client.readResponse(timeout: .milliseconds(100)) { return (busy, answer) }
                try client.write("GET /healthz HTTP/1.1\r\nHost: h\r\nX-Wait: a")
                Thread.sleep(forTimeInterval: 0.02)
                busy.append(client)
            }
            return (busy, nil)
        }
        #expect(refusal?.status == 503)
        #expect(refusal?.errorCode == "server_busy")
        #expect(busy.count > 10)
        let first = try #require(busy.first)
        #expect(try await onThread { try first.write("\r\n\r\n"); return try first.readResponse() }.status == 200)
        busy.removeAll()
        server.stop(signal: SIGTERM)
    }
}
