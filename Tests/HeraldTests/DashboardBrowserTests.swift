import Foundation
import Herald
import HeraldTestSupport
import Testing

/// The dashboard (`/ui`) in a real headless Chromium against a live `herald serve` (contract §12): every view
/// renders, the list filters, a failed notification's dead letter is retried from its detail view (confirmed)
/// and reads `sent`, and HTML in a message and a topic renders as text. The same run saves the screenshots of
/// `docs/screenshots/`.
@Suite(.serialized) struct DashboardBrowserTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let xss = #"<img src=x onerror="window.heraldXSS=1">"#

    private func json(_ port: Int, _ method: String, _ path: String, _ body: String? = nil) throws -> [String: Any] {
        let response = try RawHTTPClient(port: port).request(method, path, body: body)
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    private func waitForStatus(_ port: Int, _ id: String, _ status: String) async throws -> Bool {
        for _ in 0..<200 {
            if try json(port, "GET", "/v1/notifications/\(id)")["status"] as? String == status { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test(.timeLimit(.minutes(3)))
    func theDashboardWorksInARealBrowser() async throws {
        let hook = try await HTTPRecorder.start()
        defer { hook.stop() }
        try await hook.script([ScriptedAnswer(400, body: "no such hook"), ScriptedAnswer(400, body: "no such hook")])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-ui-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = directory.appendingPathComponent("herald.json")
        try Data("""
            {"channels": {"hook": {"type": "webhook", "url": "\(hook.url("/hook"))"}, "slack": {"type": "console"}},
             "routes": {"alerts": ["hook"], "sales": {"fallback": ["slack", "hook"], "throttle": {"limit": 5, "window_s": 60}}},
             "templates": {"welcome": {"subject": "Hi {{name}}", "body": "Welcome, {{name}}.", "channels": {"slack": {"body": ":wave: {{name}}"}}}}}
            """.utf8).write(to: configuration)
        let port = try freeLoopbackPort()
        let server = try ChildProcess(
            CommandLineTests.executable, arguments: ["serve", "--config", configuration.path],
            environment: ["HERALD_PORT": String(port)])
        defer { server.stop(signal: SIGTERM) }
        #expect(try await server.waitForOutput { $0.contains { $0.contains("listening on") } })

        var failed: [String] = []
        for index in 0..<2 {
            let accepted = try json(port, "POST", "/v1/notifications", #"{"topic": "alerts", "message": "Disk \#(index) full"}"#)
            let id = try #require(accepted["id"] as? String)
            #expect(try await waitForStatus(port, id, "failed"))
            failed.append(id)
        }
        let body = try String(data: JSONSerialization.data(withJSONObject: [
            "topic": Self.xss, "message": Self.xss, "channels": ["slack"],
        ]), encoding: .utf8)!
        let xssID = try #require(try json(port, "POST", "/v1/notifications", body)["id"] as? String)
        #expect(try await waitForStatus(port, xssID, "sent"))

        let screenshots = Self.repository.appendingPathComponent("docs/screenshots")
        let check = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            arguments: [
                Self.repository.appendingPathComponent("Tests/Support/Browser/dashboard_check.py").path,
                "--url", "http://127.0.0.1:\(port)", "--failed-id", failed[0], "--xss-id", xssID, "--xss", Self.xss,
                "--screenshots", screenshots.path,
            ])
        let status = try await check.waitForExit(timeout: .seconds(150))
        let report = check.output.last { $0.hasPrefix("{") } ?? "(no report)"
        #expect(status == 0, "\(report)\n\(check.output.suffix(20).joined(separator: "\n"))")
        for view in ["overview", "notifications", "notification", "dead-letters", "workers", "catalog"] {
            #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("\(view).png").path), "\(view)")
        }
        #expect(try await waitForStatus(port, failed[0], "sent"), "the retried delivery went out")
        #expect(try json(port, "GET", "/v1/notifications/\(failed[1])")["status"] as? String == "failed")
    }
}
