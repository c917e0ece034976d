public import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A request the HTTP recorder received.
public struct RecordedRequest: Sendable {
    public let method: String
    public let path: String
    public let headers: [(name: String, value: String)]
    public let body: Data

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object.
    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
}

/// One scripted answer of the HTTP recorder.
public struct ScriptedAnswer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
    public var delayMilliseconds: Int
    /// When positive, the body is sent one byte every this many milliseconds (after the headers).
    public var trickleMilliseconds: Int
    /// Never answers (the connection stays open, silent, for a minute).
    public var hangs: Bool

    public init(
        _ status: Int, headers: [String: String] = [:], body: String = "", delayMilliseconds: Int = 0,
        trickleMilliseconds: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delayMilliseconds = delayMilliseconds
        self.trickleMilliseconds = trickleMilliseconds
        self.hangs = false
    }

    /// An answer that never comes.
    public static var hang: ScriptedAnswer {
        var answer = ScriptedAnswer(200)
        answer.hangs = true
        return answer
    }
}

/// Runs `Tests/Support/Servers/*.py` (Python 3 standard library only) on free loopback ports.
enum PythonServer {
    static func start(_ script: String, arguments: [String]) async throws -> ChildProcess {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Servers/\(script)")
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw TestServerError("python3 is not installed; run scripts/test, which installs it") }
        let process = try ChildProcess(URL(fileURLWithPath: python), arguments: [path.path] + arguments)
        guard try await process.waitForOutput(timeout: .seconds(10), { $0.contains("ready") }) else {
            throw TestServerError("\(script) did not start: \(process.output.joined(separator: "\n"))")
        }
        return process
    }

    static func call(_ url: URL, method: String = "GET", body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }
}

/// An HTTP server that records requests and answers scripted sequences; stopped by PID when released.
public final class HTTPRecorder: Sendable {
    public let port: Int
    private let process: ChildProcess

    private init(port: Int, process: ChildProcess) {
        self.port = port
        self.process = process
    }

    /// Starts a recorder; without a script it answers `defaultStatus` with the body `ok`.
    public static func start(defaultStatus: Int = 200) async throws -> HTTPRecorder {
        let port = try freeLoopbackPort()
        let process = try await PythonServer.start(
            "http_recorder.py", arguments: ["--port", String(port), "--default-status", String(defaultStatus)])
        return HTTPRecorder(port: port, process: process)
    }

    /// `http://127.0.0.1:<port>` followed by `path`.
    public func url(_ path: String = "") -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Queues answers for the next requests, in order.
    public func script(_ answers: [ScriptedAnswer]) async throws {
        let list = answers.map {
            [
                "status": $0.status, "headers": $0.headers, "body": $0.body, "delay_ms": $0.delayMilliseconds,
                "trickle_ms": $0.trickleMilliseconds, "hang": $0.hangs,
            ] as [String: Any]
        }
        _ = try await PythonServer.call(url("/__herald/script"), method: "POST", body: try JSONSerialization.data(withJSONObject: list))
    }

    /// Every request received so far, in order.
    public func requests() async throws -> [RecordedRequest] {
        let data = try await PythonServer.call(url("/__herald/requests"))
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.map { entry in
            RecordedRequest(
                method: entry["method"] as? String ?? "", path: entry["path"] as? String ?? "",
                headers: (entry["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) },
                body: Data(base64Encoded: entry["body"] as? String ?? "") ?? Data())
        }
    }

    public func stop() { process.stop(signal: SIGTERM) }
}

/// A message the SMTP recorder accepted.
public struct RecordedEmail: Sendable {
    public let helo: String?
    public let auth: String?
    public let mailFrom: String
    public let recipients: [String]
    /// The raw bytes after DATA, dot-stuffing kept, up to (not including) the final `.` line.
    public let data: Data

    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// An SMTP server that records envelopes and messages and answers scripted replies; stopped by PID.
public final class SMTPRecorder: Sendable {
    public let port: Int
    private let controlPort: Int
    private let process: ChildProcess

    private init(port: Int, controlPort: Int, process: ChildProcess) {
        self.port = port
        self.controlPort = controlPort
        self.process = process
    }

    public static func start() async throws -> SMTPRecorder {
        let port = try freeLoopbackPort()
        var controlPort = try freeLoopbackPort()
        while controlPort == port { controlPort = try freeLoopbackPort() }
        let process = try await PythonServer.start(
            "smtp_recorder.py", arguments: ["--port", String(port), "--control-port", String(controlPort)])
        return SMTPRecorder(port: port, controlPort: controlPort, process: process)
    }

    private func control(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(controlPort)\(path)")! }

    /// Replies to use (once each, in order) instead of the normal ones, by step: GREETING, EHLO, MAIL,
    /// RCPT, DATA, END (after the message).
    public func script(_ replies: [String: [String]]) async throws {
        _ = try await PythonServer.call(control("/script"), method: "POST", body: try JSONSerialization.data(withJSONObject: replies))
    }

    /// Whether EHLO offers 8BITMIME and AUTH.
    public func configure(eightBit: Bool = true, auth: Bool = true) async throws {
        let settings = ["eight_bit": eightBit, "auth": auth]
        _ = try await PythonServer.call(control("/config"), method: "POST", body: try JSONSerialization.data(withJSONObject: settings))
    }

    public func messages() async throws -> [RecordedEmail] {
        let data = try await PythonServer.call(control("/messages"))
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.map { entry in
            RecordedEmail(
                helo: entry["helo"] as? String, auth: entry["auth"] as? String,
                mailFrom: entry["mail_from"] as? String ?? "", recipients: entry["rcpt_to"] as? [String] ?? [],
                data: Data(base64Encoded: entry["data"] as? String ?? "") ?? Data())
        }
    }

    /// How many SMTP connections were accepted.
    public func connectionCount() async throws -> Int {
        let data = try await PythonServer.call(control("/connections"))
        return try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? Int ?? -1
    }

    public func stop() { process.stop(signal: SIGTERM) }
}
