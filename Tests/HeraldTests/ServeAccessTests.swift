import Foundation
import HeraldTestSupport
import Testing

/// `herald serve` and `herald check-config` with and without `http.api_keys`, through the built binary.
@Suite struct ServeAccessTests {
    private static let key = "serve-key-0123456789abcdef"

    /// Writes `json` to a temporary `herald.json` and returns its path.
    private func configurationFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID()).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func waitForExit(_ process: ChildProcess, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test(.timeLimit(.minutes(1)))
    func serveRefusesANonLoopbackHostWithoutKeys() async throws {
        let port = try freeLoopbackPort()
        let server = try ChildProcess(
            ChildProcess.builtProduct("herald"), arguments: ["serve"],
            environment: ["HERALD_HOST": "0.0.0.0", "HERALD_PORT": String(port)])
        try await waitForExit(server)
        #expect(!server.isRunning)
        #expect(server.terminationStatus == 1)
        #expect(server.output.contains {
            $0.contains(#"http.api_keys: http.host "0.0.0.0" is not a loopback address and no API keys are configured"#)
        })
        #expect(!server.output.contains { $0.hasPrefix("listening on") })
    }

    @Test(.timeLimit(.minutes(1)))
    func allowUnauthenticatedServesBeyondLoopbackWithAWarning() async throws {
        let path = try configurationFile(#"{"http": {"allow_unauthenticated": true}}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let port = try freeLoopbackPort()
        let server = try ChildProcess(
            ChildProcess.builtProduct("herald"), arguments: ["serve", "--config", path],
            environment: ["HERALD_HOST": "0.0.0.0", "HERALD_PORT": String(port)])
        #expect(try await server.waitForOutput { $0.contains("listening on http://0.0.0.0:\(port)") })
        #expect(server.output.contains {
            $0.contains("level=warning") && $0.contains("without API keys on a non-loopback address")
                && $0.contains("host=0.0.0.0")
        })
        let client = try RawHTTPClient(port: port)
        #expect(try await onThread { try client.request("GET", "/v1/notifications/ntf_x") }.status == 404)
        server.stop(signal: SIGTERM)
        #expect(server.terminationStatus == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func serveWithKeysOnEveryInterfaceAnswersOnlyThemAndNeverLogsThem() async throws {
        let path = try configurationFile("""
            {"http": {"api_keys": [{"key": "env:HERALD_KEY_SEND", "scopes": ["send"]}]},
             "channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]}}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let port = try freeLoopbackPort()
        let server = try ChildProcess(
            ChildProcess.builtProduct("herald"), arguments: ["serve", "--config", path],
            environment: ["HERALD_HOST": "0.0.0.0", "HERALD_PORT": String(port), "HERALD_KEY_SEND": Self.key])
        #expect(try await server.waitForOutput { $0.contains("listening on http://0.0.0.0:\(port)") })
        #expect(!server.output.contains { $0.contains("level=warning") })
        let client = try RawHTTPClient(port: port)
        let body = #"{"topic": "sales", "message": "behind a key"}"#
        let anonymous = try await onThread { try client.request("POST", "/v1/notifications", body: body) }
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        let accepted = try await onThread {
            try client.request("POST", "/v1/notifications", body: body, headers: ["Authorization": "Bearer \(Self.key)"])
        }
        #expect(accepted.status == 202)
        #expect(try await server.waitForOutput { $0.contains { $0.contains("behind a key") } })
        server.stop(signal: SIGTERM)
        #expect(server.terminationStatus == 0)
        #expect(server.output.contains { $0.contains("status=401") })
        #expect(!server.output.contains { $0.contains(Self.key) })
    }

    @Test func checkConfigSummarisesKeysByScopeWithoutPrintingThem() async throws {
        let path = try configurationFile("""
            {"http": {"api_keys": [{"key": "env:HERALD_KEY_SEND", "scopes": ["send"]},
                                   {"key": "\(Self.key)", "scopes": ["admin", "send", "read"]}],
                      "public_metrics": true}}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try ChildProcess(
            ChildProcess.builtProduct("herald"), arguments: ["check-config", "--config", path],
            environment: ["HERALD_KEY_SEND": "another-key-0123456789"])
        try await waitForExit(run)
        #expect(run.terminationStatus == 0)
        #expect(run.output.contains("  access:    2 API keys (send; send, read, admin), /metrics public"))
        #expect(!run.output.contains { $0.contains(Self.key) || $0.contains("another-key-0123456789") })
    }
}
