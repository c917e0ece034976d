public import Foundation

/// The TLS certificate the push tests' HTTP/2 servers present, issued by a test CA that `scripts/test` makes and
/// trusts for the test run only: it runs `swift test` in a private mount namespace where the system CA bundle
/// (`/etc/ssl/certs/ca-certificates.crt`, which libcurl and so URLSession read on Linux) is replaced by a copy with
/// the test CA appended. `HERALD_TEST_TLS_DIR` names the folder holding `server.pem` and `server.key`.
public enum TestTLS {
    /// The folder of the test certificate, or an error saying how to get one.
    public static func directory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["HERALD_TEST_TLS_DIR"], !path.isEmpty,
            FileManager.default.fileExists(atPath: path + "/server.pem")
        else {
            throw TestServerError(
                "the push tests need a trusted test CA: run them through scripts/test, which makes one and trusts it "
                    + "in a private mount namespace (HERALD_TEST_TLS_DIR is not set)")
        }
        return URL(fileURLWithPath: path)
    }
}

/// One rule of a ``PushRecorder``'s plan: requests whose method and path match get `responses` in turn (the last
/// repeats).
public struct PushRule: Sendable {
    public var method: String
    public var pathContains: String
    public var responses: [ScriptedAnswer]

    public init(_ method: String = "POST", pathContains: String, _ responses: [ScriptedAnswer]) {
        self.method = method
        self.pathContains = pathContains
        self.responses = responses
    }
}

/// A TLS server speaking only HTTP/2 (ALPN `h2`) that records requests and answers by a plan
/// (`Tests/Support/Servers/h2_recorder.py`): a stand-in for APNs, FCM and Google's token endpoint. Stopped by PID.
public final class PushRecorder: Sendable {
    public let port: Int
    private let log: URL
    private let process: ChildProcess

    private init(port: Int, log: URL, process: ChildProcess) {
        self.port = port
        self.log = log
        self.process = process
    }

    /// Starts a recorder answering `rules` first, and `fallback` to everything else.
    public static func start(_ rules: [PushRule] = [], fallback: ScriptedAnswer = ScriptedAnswer(200)) async throws
        -> PushRecorder
    {
        let tls = try TestTLS.directory()
        let port = try freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("herald-h2-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        func answer(_ scripted: ScriptedAnswer) -> [String: Any] {
            ["status": scripted.status, "headers": scripted.headers, "body": scripted.body, "delay_ms": scripted.delayMilliseconds]
        }
        let plan: [String: Any] = [
            "rules": rules.map { ["method": $0.method, "path_contains": $0.pathContains, "responses": $0.responses.map(answer)] },
            "default": answer(fallback),
        ]
        let planText = String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)
        let process = try await PythonServer.start("h2_recorder.py", arguments: [
            "--port", String(port), "--cert", tls.appendingPathComponent("server.pem").path,
            "--key", tls.appendingPathComponent("server.key").path, "--log", log.path, "--plan", planText,
        ])
        return PushRecorder(port: port, log: log, process: process)
    }

    /// `https://127.0.0.1:<port>` followed by `path`.
    public func url(_ path: String = "") -> URL { URL(string: "https://127.0.0.1:\(port)\(path)")! }

    /// Every request received so far, in order; each was made over HTTP/2 (the server speaks nothing else).
    public func requests() throws -> [RecordedRequest] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> RecordedRequest? in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["rejected"] == nil, entry["http_version"] as? String == "2"
            else { return nil }
            return RecordedRequest(
                method: entry["method"] as? String ?? "", path: entry["path"] as? String ?? "",
                headers: (entry["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) },
                body: Data((entry["body"] as? String ?? "").utf8))
        }
    }

    /// How many connections were turned away for not negotiating HTTP/2.
    public func rejectedConnections() -> Int {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.contains("\"rejected\": true") }.count
    }

    public func stop() {
        process.stop(signal: SIGTERM)
        try? FileManager.default.removeItem(at: log)
    }
}
