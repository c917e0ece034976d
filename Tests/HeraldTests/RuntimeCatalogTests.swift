import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Topics and templates managed at run time (contract §11): `GET/PUT/DELETE /v1/topics/{topic}` and
/// `/v1/templates/{name}`, the lists, per-channel template variants; validated like `herald.json`; the file's
/// entries are the initial set; on Redis every process sees a change at once, and it survives a restart.
@Suite struct RuntimeCatalogTests {
    static let configurationText = """
        {"channels": {"slack": {"type": "console"}, "sms": {"type": "console", "contact": "sms"},
                      "email": {"type": "console", "contact": "email"}},
         "routes": {"sales": ["slack"], "billing": {"channels": ["email"], "throttle": {"limit": 3, "window_s": 60}}},
         "templates": {"welcome": {"subject": "Hi {{name}}", "body": "Welcome, {{name}}."}},
         "users": [{"id": "ana", "email": "ana@example.com", "sms": "+15550002222"}]}
        """

    struct Client {
        let herald: Herald

        func call(_ method: String, _ path: String, _ body: String? = nil) async -> (status: Int, json: [String: Any]) {
            let response = await herald.api.handle(HeraldAPI.Request(
                method: method, path: path, headers: body == nil ? [] : [("Content-Type", "application/json")],
                body: Array((body ?? "").utf8)))
            return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
        }

        func error(_ method: String, _ path: String, _ body: String) async -> String {
            let answer = await call(method, path, body)
            let error = answer.json["error"] as? [String: Any] ?? [:]
            return "\(answer.status) \(error["code"] as? String ?? "-") \(error["field"] as? String ?? "-")"
        }
    }

    static func configuration(redis: RedisServer? = nil, prefix: String = "catalog") throws -> HeraldConfiguration {
        var configuration = try HeraldConfiguration.decode(Data(configurationText.utf8))
        if let redis {
            configuration.queue.kind = .redis
            configuration.queue.redisURL = Secret(redis.url)
            configuration.queue.keyPrefix = prefix
        }
        return configuration
    }

    static func channels() -> (RecordingChannel, RecordingChannel, RecordingChannel) {
        (RecordingChannel(), RecordingChannel(), RecordingChannel())
    }

    @Test func theConfigurationsEntriesAreTheInitialSetAndListsAreSortedByName() async throws {
        let client = Client(herald: try Herald(configuration: Self.configuration()))
        let topics = await client.call("GET", "/v1/topics")
        #expect(topics.status == 200)
        let listed = try #require(topics.json["topics"] as? [[String: Any]])
        #expect(listed.map { $0["topic"] as? String } == ["billing", "sales"])
        #expect(listed[0]["channels"] as? [String] == ["email"])
        #expect((listed[0]["throttle"] as? [String: Int]) == ["limit": 3, "window_s": 60])
        let template = await client.call("GET", "/v1/templates/welcome")
        #expect(template.status == 200 && template.json["body"] as? String == "Welcome, {{name}}.")
        #expect(await client.call("GET", "/v1/templates").json["templates"] as? [[String: Any]] != nil)
        #expect(await client.call("GET", "/v1/topics/nope").status == 404)
        #expect(await client.call("DELETE", "/v1/templates/nope").status == 404)
    }

    @Test func aTopicPutAtRunTimeRoutesTheNextRequestAndADeleteRemovesIt() async throws {
        let (slack, sms, email) = Self.channels()
        let herald = try Herald(configuration: Self.configuration(), channels: ["slack": slack, "sms": sms, "email": email])
        let client = Client(herald: herald)
        #expect(await client.error("POST", "/v1/notifications", #"{"topic": "alerts", "message": "m"}"#)
            == "422 unknown_topic topic")
        let put = await client.call("PUT", "/v1/topics/alerts", #"{"fallback": ["sms", "email"]}"#)
        #expect(put.status == 200 && put.json["fallback"] as? [String] == ["sms", "email"] && put.json["topic"] as? String == "alerts")
        let sent = await client.call("POST", "/v1/notifications", #"{"topic": "alerts", "user_id": "ana", "message": "Disk"}"#)
        #expect(sent.status == 202)
        try await herald.worker.drain()
        #expect(sms.messages.map(\.body) == ["Disk"] && email.messages.isEmpty)
        let shorthand = await client.call("PUT", "/v1/topics/digest", #"["email", "sms"]"#)
        #expect(shorthand.status == 200 && shorthand.json["channels"] as? [String] == ["email", "sms"], "the array form of herald.json")
        #expect(await client.error("PUT", "/v1/topics/digest", #"["email", 3]"#) == "422 invalid_value channels[1]")
        #expect(await client.error("PUT", "/v1/topics/digest", "[]") == "422 invalid_value channels", "a route names a channel")
        #expect(await client.call("DELETE", "/v1/topics/alerts").status == 204)
        #expect(await client.call("GET", "/v1/topics/alerts").status == 404)
        #expect(await client.error("POST", "/v1/notifications", #"{"topic": "alerts", "message": "m"}"#)
            == "422 unknown_topic topic")
    }

    @Test func badTopicsAndTemplatesAreRefusedNamingTheFieldAndChangeNothing() async throws {
        let client = Client(herald: try Herald(configuration: Self.configuration()))
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["slak"]}"#) == "422 unknown_channel channels[0]")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"fallback": ["sms", "fax"]}"#) == "422 unknown_channel fallback[1]")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["sms"], "fallback": ["sms"]}"#)
            == "422 invalid_value fallback")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["sms"], "throtle": {}}"#) == "422 unknown_field throtle")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["sms"], "throttle": {"limit": 0, "window_s": 5}}"#)
            == "422 invalid_value throttle.limit")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["sms"], "digest": {"window_s": 60, "template": "nope"}}"#)
            == "422 unknown_template digest.template")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": []}"#) == "422 invalid_value channels")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"channels": ["sms"]"#) == "400 invalid_json -")
        #expect(await client.error("PUT", "/v1/topics/t", #"{"topic": "u", "channels": ["sms"]}"#) == "422 invalid_value topic")
        #expect(await client.error("PUT", "/v1/templates/w", #"{"body": "Hi {{name"}"#) == "422 invalid_value body")
        #expect(await client.error("PUT", "/v1/templates/w", #"{"body": "b", "channels": {"fax": {"body": "x"}}}"#)
            == "422 unknown_channel channels.fax")
        #expect(await client.error("PUT", "/v1/templates/w", #"{"body": "b", "channels": {"sms": {"body": "{{#a}}"}}}"#)
            == "422 invalid_value channels.sms.body")
        #expect(await client.error("PUT", "/v1/templates/w", #"{"subject": "s"}"#) == "422 invalid_value body")
        #expect(await client.call("GET", "/v1/topics/t").status == 404)
        #expect(await client.call("GET", "/v1/templates/w").status == 404)
    }

    @Test func aTemplatesChannelVariantsAreSentOnTheirChannels() async throws {
        let (slack, sms, email) = Self.channels()
        let herald = try Herald(configuration: Self.configuration(), channels: ["slack": slack, "sms": sms, "email": email])
        let client = Client(herald: herald)
        let put = await client.call("PUT", "/v1/templates/shipped", """
            {"subject": "Order {{id}} shipped", "body": "Your order {{id}} is on its way.",
             "channels": {"sms": {"body": "Order {{id}} shipped"}, "slack": {"body": ":package: {{id}}"}}}
            """)
        #expect(put.status == 200)
        let sent = await client.call("POST", "/v1/notifications", """
            {"user_id": "ana", "channels": ["email", "sms", "slack"], "template": "shipped", "data": {"id": "A-7"}}
            """)
        #expect(sent.status == 202, "\(sent.json)")
        try await herald.worker.drain()
        #expect(email.messages.map(\.body) == ["Your order A-7 is on its way."])
        #expect(email.messages.map(\.subject) == ["Order A-7 shipped"])
        #expect(sms.messages.map(\.body) == ["Order A-7 shipped"])
        #expect(slack.messages.map(\.body) == [":package: A-7"])
        #expect(await client.error("POST", "/v1/notifications", #"{"topic": "sales", "template": "shipped"}"#)
            == "422 missing_template_data data.id")
    }

    @Test(.timeLimit(.minutes(1)))
    func onRedisAChangeIsSeenByEveryProcessAtOnceAndSurvivesARestart() async throws {
        let server = try RedisServer()
        let (slack, sms, email) = Self.channels()
        let configuration = try Self.configuration(redis: server)
        let first = Client(herald: try Herald(configuration: configuration))
        let secondHerald = try Herald(configuration: configuration, channels: ["slack": slack, "sms": sms, "email": email])
        let second = Client(herald: secondHerald)
        defer { first.herald.shutdown(); secondHerald.shutdown() }
        #expect(await first.call("PUT", "/v1/topics/sales", #"{"channels": ["sms"]}"#).status == 200)
        #expect(await first.call("DELETE", "/v1/topics/billing").status == 204)
        #expect(await first.call("PUT", "/v1/templates/welcome", #"{"body": "Hello {{name}}!"}"#).status == 200)
        #expect(await second.call("GET", "/v1/topics/sales").json["channels"] as? [String] == ["sms"])
        let sent = await second.call(
            "POST", "/v1/notifications", #"{"topic": "sales", "user_id": "ana", "template": "welcome", "data": {"name": "Ana"}}"#)
        #expect(sent.status == 202)
        try await secondHerald.worker.drain()
        #expect(sms.messages.map(\.body) == ["Hello Ana!"] && slack.messages.isEmpty)

        let restarted = Client(herald: try Herald(configuration: configuration))
        defer { restarted.herald.shutdown() }
        let topics = await restarted.call("GET", "/v1/topics").json["topics"] as? [[String: Any]] ?? []
        #expect(topics.map { $0["topic"] as? String } == ["sales"], "the deleted seed stays deleted")
        #expect(topics.first?["channels"] as? [String] == ["sms"], "the file does not undo a runtime change")
        #expect(await restarted.call("GET", "/v1/templates/welcome").json["body"] as? String == "Hello {{name}}!")
    }
}
