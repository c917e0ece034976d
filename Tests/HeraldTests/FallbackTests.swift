import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Fallback chains (contract §11) through the HTTP API, on the memory queue and on Redis: the first channel is
/// tried; a permanent failure or a missing contact queues the next; a retrying or rate-limited step holds the chain;
/// the status body shows every step.
@Suite struct FallbackTests {
    static let configurationText = """
        {"queue": {"backoff": {"initial_ms": 600000, "max_ms": 600000}},
         "channels": {"push": {"type": "console", "contact": "apns"}, "sms": {"type": "console", "contact": "sms"},
                      "email": {"type": "console", "contact": "email"}, "slack": {"type": "console"}},
         "routes": {"alerts": {"fallback": ["push", "sms", "email"]}, "sales": ["slack"]},
         "users": [{"id": "ana", "email": "ana@example.com", "sms": "+15550002222",
                    "devices": [{"token": "\(String(repeating: "ab", count: 32))", "platform": "apns"}]},
                   {"id": "ben", "email": "ben@example.com"}]}
        """

    struct System {
        let herald: Herald
        let push: ScriptedChannel
        let sms: ScriptedChannel
        let email: ScriptedChannel
        let redis: RedisServer?

        func post(_ body: String) async -> (status: Int, json: [String: Any]) {
            let response = await herald.api.handle(HeraldAPI.Request(
                method: "POST", path: "/v1/notifications", headers: [("Content-Type", "application/json")],
                body: Array(body.utf8)))
            return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
        }

        /// Sends `body`, delivers what is ready, and returns the status body.
        func deliver(_ body: String) async throws -> [String: Any] {
            let accepted = await post(body)
            #expect(accepted.status == 202, "\(accepted.json)")
            let id = try #require(accepted.json["id"] as? String)
            _ = try await herald.worker.drain()
            let response = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
            return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        }
    }

    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, redis
        var testDescription: String { rawValue }
    }

    static func system(_ backend: Backend, push: [DeliveryOutcome] = [], sms: [DeliveryOutcome] = [], email: [DeliveryOutcome] = [])
        throws -> System
    {
        var configuration = try HeraldConfiguration.decode(Data(configurationText.utf8))
        var redis: RedisServer?
        if backend == .redis {
            let server = try RedisServer()
            configuration.queue.kind = .redis
            configuration.queue.redisURL = Secret(server.url)
            redis = server
        }
        let channels = (ScriptedChannel(push), ScriptedChannel(sms), ScriptedChannel(email))
        let herald = try Herald(
            configuration: configuration,
            channels: ["push": channels.0, "sms": channels.1, "email": channels.2, "slack": RecordingChannel()])
        return System(herald: herald, push: channels.0, sms: channels.1, email: channels.2, redis: redis)
    }

    /// `channel=status` per delivery, in order, with the reason of a skipped one.
    static func steps(_ document: [String: Any]) -> [String] {
        (document["deliveries"] as? [[String: Any]] ?? []).map { delivery in
            let reason = (delivery["reason"] as? String).map { " (\($0))" } ?? ""
            return "\(delivery["channel"] as? String ?? "?")=\(delivery["status"] as? String ?? "?")\(reason)"
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func aPermanentFailureQueuesTheNextStepAndASendEndsTheChain(_ backend: Backend) async throws {
        let system = try Self.system(backend, push: [.failed(reason: "BadDeviceToken")])
        defer { system.herald.shutdown() }
        let document = try await system.deliver(#"{"topic": "alerts", "user_id": "ana", "message": "Disk full"}"#)
        #expect(Self.steps(document) == ["push=failed", "sms=sent", "email=skipped (an earlier fallback step was sent)"])
        #expect(document["status"] as? String == "sent", "the failed first step fell back: the notification was delivered")
        #expect(system.push.attempts.count == 1 && system.sms.attempts.map(\.body) == ["Disk full"])
        #expect(system.email.attempts.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func aStepTheUserHasNoContactForIsSkippedAndTheChainStartsAtTheNext(_ backend: Backend) async throws {
        let system = try Self.system(backend)
        defer { system.herald.shutdown() }
        let document = try await system.deliver(#"{"topic": "alerts", "user_id": "ben", "message": "Disk full"}"#)
        #expect(Self.steps(document) == [
            "push=skipped (no apns contact for this fallback step)", "sms=skipped (no sms contact for this fallback step)",
            "email=sent",
        ])
        #expect(document["status"] as? String == "sent")
        #expect(system.email.attempts.map(\.recipients) == [["ben@example.com"]])
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func aRetryingOrRateLimitedStepHoldsTheChain(_ backend: Backend) async throws {
        let system = try Self.system(
            backend, push: [.retry(reason: "503")], sms: [.rateLimited(retryAfter: .seconds(60), reason: "429")])
        defer { system.herald.shutdown() }
        let retrying = try await system.deliver(#"{"topic": "alerts", "user_id": "ana", "message": "a"}"#)
        #expect(Self.steps(retrying) == ["push=retrying", "sms=standby", "email=standby"])
        #expect(retrying["status"] as? String == "pending")
        let limited = try await system.deliver(#"{"fallback": ["sms", "email"], "user_id": "ana", "message": "b"}"#)
        #expect(Self.steps(limited) == ["sms=retrying", "email=standby"])
        #expect(system.email.attempts.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func aChainWhoseEveryStepFailsEndsFailedWithEveryStepShown(_ backend: Backend) async throws {
        let system = try Self.system(
            backend, push: [.failed(reason: "gone")], sms: [.failed(reason: "21211")], email: [.failed(reason: "550")])
        defer { system.herald.shutdown() }
        let document = try await system.deliver(#"{"topic": "alerts", "user_id": "ana", "message": "m"}"#)
        #expect(Self.steps(document) == ["push=failed", "sms=failed", "email=failed"])
        #expect(document["status"] as? String == "failed")
        let errors = (document["deliveries"] as? [[String: Any]] ?? []).compactMap { $0["last_error"] as? String }
        #expect(errors.count == 3)
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func aRequestCarriesItsOwnChainAndCancelStopsTheStandbySteps(_ backend: Backend) async throws {
        let system = try Self.system(backend, email: [.retry(reason: "421")])
        defer { system.herald.shutdown() }
        let document = try await system.deliver(#"{"fallback": ["email", "sms"], "user_id": "ana", "message": "m"}"#)
        #expect(Self.steps(document) == ["email=retrying", "sms=standby"])
        let id = try #require(document["id"] as? String)
        let canceled = await system.herald.api.handle(HeraldAPI.Request(method: "POST", path: "/v1/notifications/\(id)/cancel"))
        #expect(canceled.status == 200)
        let after = await system.herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
        let json = (try? JSONSerialization.jsonObject(with: Data(after.body))) as? [String: Any] ?? [:]
        #expect(Self.steps(json) == ["email=canceled", "sms=canceled"])
    }

    @Test func badChainsAreRefusedNamingTheField() async throws {
        let system = try Self.system(.memory)
        defer { system.herald.shutdown() }
        let both = await system.post(#"{"fallback": ["sms"], "channels": ["email"], "user_id": "ana", "message": "m"}"#)
        #expect(both.status == 422 && (both.json["error"] as? [String: Any])?["field"] as? String == "fallback")
        let unknown = await system.post(#"{"fallback": ["sms", "fax"], "user_id": "ana", "message": "m"}"#)
        #expect(unknown.status == 422 && (unknown.json["error"] as? [String: Any])?["field"] as? String == "fallback[1]")
        let nobody = await system.post(#"{"fallback": ["sms", "push"], "user_id": "ben", "message": "m"}"#)
        #expect(nobody.status == 422 && (nobody.json["error"] as? [String: Any])?["code"] as? String == "no_contact")

        let badRoute = #"{"channels": {"s": {"type": "console"}}, "routes": {"a": {"fallback": ["s", "t"]}}}"#
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "routes.a.fallback[1]")) {
            try HeraldConfiguration.decode(Data(badRoute.utf8)).validate()
        }
        let twoLists = #"{"channels": {"s": {"type": "console"}}, "routes": {"a": {"fallback": ["s"], "channels": ["s"]}}}"#
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "routes.a.fallback")) {
            try HeraldConfiguration.decode(Data(twoLists.utf8))
        }
    }
}
