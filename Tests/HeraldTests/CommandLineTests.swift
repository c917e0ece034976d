import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

/// Runs the built `herald` executable as a user would.
@Suite struct CommandLineTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// The `herald` binary SwiftPM built next to this test bundle.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("herald")

    private func herald(_ arguments: String..., environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { first, _ in first }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    @Test func theExecutableWasBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path))
    }

    @Test(.timeLimit(.minutes(1)))
    func demoReplaysTheSeedScenariosAndExitsZero() throws {
        let run = try herald("demo")
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("What each channel sent:"))
        #expect(run.output.contains("Final status of each notification"))
        for line in [
            "[slack]", "Customer 4711 needs help with a bulk order",
            "to product@example.com: A competitor cut prices by 10%",
            "to +15550002222: Your password was changed",
            "to chen@example.com: Welcome, Chen | Hi Chen, thanks for joining.",
            "failed: provider rejected the message (demo)",
            "the repeat returned the same id",
            "3 deliveries, one per device",
            "APNs ← •••aa22bb", "→ 410 Unregistered", "\"alg\":\"ES256\"", "\"alg\":\"RS256\"",
            "FCM ← /v1/projects/herald-demo/messages:send",
            "ana's devices now: apns •••aa22bb, fcm •••q_demo",
            "→ 202 scheduled", "→ 200 canceled", "→ 200 deduplicated", "the repeated alert was deduplicated to the first",
            "[slack]", "Standup starts now",
            "failed: the number cannot receive SMS (demo)", "to ana@example.com: Your code is 482913",
            "→ 202 digested", "the three comments joined one digest",
            "to ana@example.com: 3 new comments: Bo: Looks good; Cy: Agreed; Di: Ship it;",
        ] {
            #expect(run.output.contains(line), "missing: \(line)")
        }
        let finalTable = try #require(run.output.components(separatedBy: "Final status of each notification").last)
        #expect(finalTable.components(separatedBy: "\n").filter { $0.contains("ntf_") }.count == 14)
        #expect(finalTable.contains("slack=canceled/0"))
        #expect(!run.output.contains("This reminder is canceled\n"), "the canceled reminder is never sent")
        #expect(finalTable.contains("ios=sent/1 ios=failed/1 android=sent/1"))
        #expect(!finalTable.contains(" failed "))
        #expect(finalTable.contains("sms=sent/2"))
        #expect(finalTable.contains("email=skipped/0"))
        #expect(finalTable.contains("sent      sms=failed/1 email=sent/1"), "the chain fell back and delivered")
    }

    @Test func sendPrintsTheNewIDAndDeliversBeforeExiting() throws {
        let run = try herald("send", "--topic", "sales", "--message", "Customer needs help")
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n")
        let id = try #require(lines.first { $0.hasPrefix("ntf_") })
        #expect(lines.contains { $0 == "[slack] \(id).slack: Customer needs help" })
        #expect(run.errors.contains("\(id): sent"))
    }

    @Test func sendRejectsBadInputWithTheReason() throws {
        let run = try herald("send", "--topic", "nope", "--message", "m")
        #expect(run.status == 1)
        #expect(run.errors.contains("topic \"nope\" has no route"))
        #expect(run.output.isEmpty)
    }

    @Test func theReadmeExampleSnippetDeliversAndPrintsSent() throws {
        let snippet = Self.executable.deletingLastPathComponent().appendingPathComponent("SendAndSettle")
        let process = Process()
        process.executableURL = snippet
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed.contains("Customer needs help"))
        #expect(printed.hasSuffix("sent\n"))
    }

    @Test func checkConfigNamesThePathOfTheProblem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID()).json").path
        try Data(#"{"channels": {"log": {"type": "console"}}, "routes": {"sales": ["slak"]}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let bad = try herald("check-config", "--config", path)
        #expect(bad.status == 1)
        #expect(bad.errors.contains(#"routes.sales[0]: unknown channel "slak""#))

        let viaEnvironment = try herald("check-config", environment: ["HERALD_CONFIG": path])
        #expect(viaEnvironment.status == 1)

        let good = try herald("check-config")
        #expect(good.status == 0)
        #expect(good.output.contains("configuration OK"))
    }

    @Test func checkConfigReportsEveryProblemAtOnceWithSuggestions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID()).json").path
        try Data(#"""
            {"channels": {"slack": {"type": "console", "ratelimit": {"per_second": 1}}},
             "routes": {"sales": ["slak"], "ops": ["slack", "pagr"]},
             "workers": {"concurency": 4}}
            """#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let run = try herald("check-config", "--config", path)

        #expect(run.status == 1)
        #expect(run.errors.contains(#"workers.concurency: unknown key "concurency" (did you mean "concurrency"?)"#))
        #expect(run.errors.contains(#"channels.slack.ratelimit: unknown key "ratelimit" (did you mean "rate_limit"?)"#))
        #expect(!run.errors.contains("routes.sales"))

        let fixed = path + ".fixed.json"
        try Data(#"{"channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slak"], "ops": ["slack", "pagr"]}}"#.utf8)
            .write(to: URL(fileURLWithPath: fixed))
        defer { try? FileManager.default.removeItem(atPath: fixed) }
        let validation = try herald("check-config", "--config", fixed)
        #expect(validation.status == 1)
        #expect(validation.errors.contains(#"routes.sales[0]: unknown channel "slak" (did you mean "slack"?)"#))
        #expect(validation.errors.contains(#"routes.ops[1]: unknown channel "pagr""#))
    }

    @Test(.timeLimit(.minutes(1)))
    func serveAnswersUntilSIGTERMThenExitsZero() async throws {
        let port = try freeLoopbackPort()
        let server = try ChildProcess(Self.executable, arguments: ["serve"], environment: ["HERALD_PORT": String(port)])
        #expect(try await server.waitForOutput { $0.contains("listening on http://127.0.0.1:\(port)") })
        let body = #"{"topic": "sales", "message": "load"}"#
        let answered = AnswerCounter()
        let load = Task {
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await onThread {
                            var statuses: [Int] = []
                            guard let client = try? RawHTTPClient(port: port) else { return statuses }
                            while let response = try? client.request("POST", "/v1/notifications", body: body) {
                                statuses.append(response.status)
                                answered.increment()
                                if response.headers["connection"] == "close" { break }
                            }
                            return statuses
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while answered.value < 50, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        server.stop(signal: SIGTERM)
        let statuses = try await load.value
        #expect(server.terminationStatus == 0)
        #expect(statuses.count > 10)
        #expect(statuses.allSatisfy { $0 == 202 })
        #expect(server.output.contains { $0.contains("received SIGTERM") })
    }

    @Test(.timeLimit(.minutes(1)))
    func serveWithoutWorkersAcceptsButLeavesDeliveryToWorkerProcesses() async throws {
        let redis = try RedisServer()
        let port = try freeLoopbackPort()
        let environment = ["HERALD_PORT": String(port), "HERALD_REDIS_URL": redis.url]
        let api = try ChildProcess(Self.executable, arguments: ["serve", "--no-workers"], environment: environment)
        #expect(try await api.waitForOutput { $0.contains { $0.hasPrefix("listening on") } })
        let client = try RawHTTPClient(port: port)
        let accepted = try await onThread {
            try client.request("POST", "/v1/notifications", body: #"{"topic": "sales", "message": "queued only"}"#)
        }
        #expect(accepted.status == 202)
        let id = try #require(accepted.json?["id"] as? String)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!api.output.contains { $0.contains("queued only") })
        let worker = try ChildProcess(Self.executable, arguments: ["worker"], environment: environment)
        #expect(try await worker.waitForOutput { $0.contains("[slack] \(id).slack: queued only") })
        worker.stop(signal: SIGTERM)
        api.stop(signal: SIGTERM)
        #expect(api.terminationStatus == 0)
    }

    @Test(arguments: ["serve", "demo", "worker", "send", "status", "check-config"])
    func everyCommandHasHelp(command: String) throws {
        let run = try herald(command, "--help")
        #expect(run.status == 0)
        #expect(run.output.contains("Usage: herald \(command)"))
    }

    @Test(.timeLimit(.minutes(1)))
    func sendAtSchedulesOnRedisAndCancelCancelsItOnce() throws {
        let server = try RedisServer()
        let environment = ["HERALD_REDIS_URL": server.url]
        let at = Date().addingTimeInterval(3600).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        let sent = try herald("send", "--topic", "sales", "--message", "later", "--at", at, environment: environment)
        #expect(sent.status == 0, "\(sent.errors)")
        let id = sent.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try herald("status", id, environment: environment)
        let document = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        #expect(document?["status"] as? String == "scheduled")

        let canceled = try herald("cancel", id, environment: environment)
        #expect(canceled.status == 0, "\(canceled.errors)")
        let after = try JSONSerialization.jsonObject(with: Data(canceled.output.utf8)) as? [String: Any]
        #expect(after?["status"] as? String == "canceled")
        let again = try herald("cancel", id, environment: environment)
        #expect(again.status == 1)
        #expect(again.errors.contains("no delivery left to cancel"))

        #expect(try herald("send", "--topic", "sales", "--message", "m", "--delay", "60").status == 2, "memory queue")
        #expect(try herald("send", "--topic", "sales", "--message", "m", "--at", "soon", environment: environment).status == 2)
        #expect(try herald("cancel", "ntf_unknown", environment: environment).status == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func deadLettersAndListOnRedis() async throws {
        let server = try RedisServer()
        let environment = ["HERALD_REDIS_URL": server.url]
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(server.url)
        let slack = ScriptedChannel([.failed(reason: "channel_not_found"), .failed(reason: "channel_not_found")])
        let host = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { host.shutdown() }
        var ids: [NotificationID] = []
        for message in ["one", "two"] {
            ids.append(try await host.send(NotificationRequest(topic: "sales", message: message)).id)
            try await host.worker.drain()
        }

        let list = try herald("dead-letters", "list", environment: environment)
        #expect(list.status == 0, "\(list.errors)")
        #expect(list.output.contains("\(ids[1])/slack") && list.output.contains("channel_not_found"))
        #expect(list.output.contains("(last page)"))
        let paged = try herald("dead-letters", "list", "--limit", "1", environment: environment)
        #expect(paged.output.contains("next page: --cursor "))

        let retried = try herald("dead-letters", "retry", "--id", "\(ids[0])/slack", environment: environment)
        #expect(retried.output.contains("retried 1"), "\(retried.errors)")
        try await host.worker.drain()
        #expect(try await host.status(of: ids[0]).status == .sent)
        let purged = try herald("dead-letters", "purge", "--all", environment: environment)
        #expect(purged.output.contains("purged 1"), "\(purged.errors)")
        #expect(try herald("dead-letters", "list", environment: environment).output.contains(ids[1].rawValue) == false)

        let listed = try herald("list", "--topic", "sales", "--status", "failed", environment: environment)
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output.contains(ids[1].rawValue) && !listed.output.contains(ids[0].rawValue), "\(listed.output)")
        #expect(listed.output.contains("slack=failed"))
        let page = try herald("list", "--limit", "1", environment: environment)
        #expect(page.output.contains(ids[1].rawValue) && page.output.contains("next page: --cursor "))
        #expect(try herald("list", "--status", "lost", environment: environment).status == 2)
        #expect(try herald("list").status == 2, "the memory queue's notifications live in the server")

        #expect(try herald("dead-letters", "retry", environment: environment).status == 2, "a selector is required")
        #expect(try herald("dead-letters", "list").status == 2, "the memory queue's letters live in the server")
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkersMetricsPortServesItsCountersAndProbesAndNothingElse() async throws {
        let server = try RedisServer()
        let environment = ["HERALD_REDIS_URL": server.url]
        let worker = try ChildProcess(Self.executable, arguments: ["worker", "--metrics-port", "0"], environment: environment)
        let announced = try await worker.waitForOutput { $0.contains { $0.contains("metrics on http://127.0.0.1:") } }
        #expect(announced)
        let line = try #require(worker.output.first { $0.contains("metrics on http://127.0.0.1:") })
        let port = try #require(Int(line.split(separator: ":").last?.split(separator: "/").first ?? ""))

        let sent = try herald("send", "--topic", "sales", "--message", "scraped", environment: environment)
        let id = sent.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await worker.waitForOutput { $0.contains("[slack] \(id).slack: scraped") })
        let metrics = try RawHTTPClient(port: port).request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"herald_deliveries_total{channel="slack",outcome="sent"} 1"#), "\(metrics.text)")
        #expect(metrics.text.contains("herald_queue_ready 0"))
        #expect(try RawHTTPClient(port: port).request("GET", "/healthz").status == 200)
        #expect(try RawHTTPClient(port: port).request("GET", "/readyz").status == 200)
        #expect(try RawHTTPClient(port: port).request("GET", "/v1/notifications/\(id)").status == 404, "no API on it")
        #expect(try RawHTTPClient(port: port).request("POST", "/v1/notifications", body: "{}").status == 404)
        worker.stop(signal: SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func workerSendAndStatusWorkTogetherOnRedisAndTheWorkerStopsOnSIGTERM() async throws {
        let server = try RedisServer()
        let environment = ["HERALD_REDIS_URL": server.url]
        let worker = try ChildProcess(Self.executable, arguments: ["worker"], environment: environment)
        #expect(try await worker.waitForOutput { $0.contains { $0.contains("worker started") } })

        let sent = try herald("send", "--topic", "sales", "--message", "Customer needs help", environment: environment)
        #expect(sent.status == 0, "\(sent.errors)")
        let id = sent.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("ntf_"))
        #expect(try await worker.waitForOutput { $0.contains("[slack] \(id).slack: Customer needs help") })

        let status = try herald("status", id, environment: environment)
        #expect(status.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        #expect(document?["id"] as? String == id)
        #expect(document?["status"] as? String == "sent")
        let deliveries = document?["deliveries"] as? [[String: Any]]
        #expect(deliveries?.first?["channel"] as? String == "slack")
        #expect(deliveries?.first?["attempts"] as? Int == 1)
        #expect(deliveries?.first?["last_error"] is NSNull)

        #expect(try herald("status", "ntf_unknown", environment: environment).status == 1)
        worker.stop(signal: SIGTERM)
        #expect(worker.terminationStatus == 0)
        #expect(try herald("worker").status == 2)
    }

    @Test func unknownCommandsAndOptionsAreUsageErrors() throws {
        #expect(try herald("fly").status == 2)
        #expect(try herald("demo", "--fast").status == 2)
        #expect(try herald("serve", "--no-workers").status == 2)
        #expect(try herald("--help").status == 0)
    }
}

/// Counts answers across client threads.
final class AnswerCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
