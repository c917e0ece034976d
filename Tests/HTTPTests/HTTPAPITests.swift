import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// A running `HTTPServer` on a free port in front of an in-memory Herald with recording channels.
struct APIFixture {
    let herald: Herald
    let server: HTTPServer
    let slack: ScriptedChannel
    let email: RecordingChannel
    let clock = ManualClock()

    init(maxBodyBytes: Int = 65536, server serverConfiguration: HTTPServer.Configuration? = nil, slack: ScriptedChannel = ScriptedChannel([])) async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.http.maxBodyBytes = maxBodyBytes
        let email = RecordingChannel()
        herald = try Herald(configuration: configuration, channels: ["slack": slack, "email": email], clock: clock)
        let api = herald.api
        var settings = serverConfiguration ?? HTTPServer.Configuration()
        settings.port = 0
        settings.maxBodyBytes = maxBodyBytes
        server = try HTTPServer(configuration: settings, handler: { await api.handle($0) })
        self.slack = slack
        self.email = email
    }

    func client() throws -> RawHTTPClient { try RawHTTPClient(port: server.port) }
}

@Suite(.serialized) struct HTTPAPITests {
    @Test(.timeLimit(.minutes(1)))
    func everyRouteAnswersAsTheContractSays() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()

        let accepted = try await onThread { try client.request("POST", "/v1/notifications", body: #"{"topic": "sales", "message": "Customer needs help"}"#) }
        #expect(accepted.status == 202)
        #expect(accepted.headers["content-type"] == "application/json; charset=utf-8")
        let id = try #require(accepted.json?["id"] as? String)
        #expect(accepted.json?["status"] as? String == "pending")
        #expect(accepted.json?["deliveries"] as? [[String: String]] == [["channel": "slack", "status": "queued"]])

        let viaNotify = try await onThread { try client.request("POST", "/notify", body: #"{"topic": "pricing", "description": "Prices change"}"#) }
        #expect(viaNotify.status == 202)
        let viaNotifications = try await onThread {
            try client.request("POST", "/notifications", body: #"{"user_id": "123", "message": "Hi", "channel": "email"}"#, contentType: "application/json; charset=utf-8")
        }
        #expect(viaNotifications.status == 202)

        let pending = try await onThread { try client.request("GET", "/v1/notifications/\(id)") }
        #expect(pending.status == 200)
        #expect(pending.json?["status"] as? String == "pending")
        try await fixture.herald.worker.drain()
        let sent = try await onThread { try client.request("GET", "/v1/notifications/\(id)") }
        let delivery = try #require((sent.json?["deliveries"] as? [[String: Any]])?.first)
        #expect(sent.json?["status"] as? String == "sent")
        #expect(sent.json?["topic"] as? String == "sales")
        #expect((sent.json?["created_at"] as? String)?.hasSuffix("Z") == true)
        #expect(delivery["attempts"] as? Int == 1)
        #expect(delivery["last_error"] is NSNull)
        #expect(delivery["updated_at"] is String)
        #expect(fixture.email.messages.map(\.recipients) == [["product@example.com"], ["ana@example.com"]])

        let nothingFailed = try await onThread { try client.request("POST", "/v1/notifications/\(id)/retry") }
        #expect(nothingFailed.status == 409)
        #expect(try await onThread { try client.request("POST", "/v1/notifications/ntf_nope/retry") }.status == 404)
        let missing = try await onThread { try client.request("GET", "/v1/notifications/ntf_nope") }
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")

        let contact = try await onThread { try client.request("GET", "/v1/users/123/contact-info") }
        #expect(contact.status == 200)
        #expect(contact.json?["email"] as? String == "ana@example.com")
        #expect(contact.json?["sms"] as? String == "+15550002222")
        #expect(contact.json?["preferred_channel"] as? String == "email")
        #expect(try await onThread { try client.request("GET", "/users/123/contact-info") }.status == 200)
        #expect(try await onThread { try client.request("GET", "/v1/users/nobody/contact-info") }.status == 404)

        let put = try await onThread {
            try client.request("PUT", "/v1/users/42", body: #"{"email": "new@example.com", "preferred_channel": "email", "muted_topics": ["sales"]}"#)
        }
        #expect(put.status == 200)
        #expect(try await onThread { try client.request("GET", "/v1/users/42/contact-info") }.json?["email"] as? String == "new@example.com")
        #expect(try await onThread { try client.request("PUT", "/v1/users/42", body: #"{"id": "42", "sms": "+15550009999"}"#) }.status == 200)
        #expect(try await onThread { try client.request("PUT", "/v1/users/42", body: #"{"id": "43"}"#) }.errorCode == "invalid_value")
        #expect(try await onThread { try client.request("PUT", "/v1/users/42", body: #"{"mail": "x"}"#) }.errorCode == "unknown_field")
        #expect(try await onThread { try client.request("PUT", "/v1/users/42", body: #"{"email": "a@b\r\nBcc: c"}"#) }.errorCode == "invalid_value")
        #expect(try await onThread { try client.request("PUT", "/v1/users/42", body: #"{"preferred_channel": "fax"}"#) }.errorCode == "unknown_channel")

        #expect(try await onThread { try client.request("GET", "/healthz") }.status == 200)
        #expect(try await onThread { try client.request("GET", "/readyz") }.status == 200)
        let metrics = try await onThread { try client.request("GET", "/metrics") }
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        for name in ["herald_notifications_accepted_total 3", #"herald_deliveries_total{channel="slack",outcome="sent"} 1"#,
                     "herald_queue_ready 0", "herald_queue_inflight 0", "herald_queue_dead 0",
                     "herald_queue_oldest_ready_age_seconds", #"herald_http_requests_total{route="/v1/notifications",status="202"} 1"#] {
            #expect(metrics.text.contains(name), "missing \(name)")
        }

        let wrongMethod = try await onThread { try client.request("PUT", "/v1/notifications") }
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST, GET")
        #expect(try await onThread { try client.request("DELETE", "/v1/notifications/\(id)") }.status == 405)
        #expect(try await onThread { try client.request("GET", "/nope") }.status == 404)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        ("application/json", "{", 400, "invalid_json"),
        ("application/json", "[1]", 400, "invalid_json"),
        ("application/json", #"{"topic": "sales", "message": "x",}"#, 400, "invalid_json"),
        ("application/json", #"{"topic": "sales", "message": "x", "message": "y"}"#, 400, "invalid_json"),
        ("application/json", #"{"topic": "sales", "message": "x"} // sent by a bot"#, 400, "invalid_json"),
        ("application/json", #"{'topic': 'sales', 'message': 'x'}"#, 400, "invalid_json"),
        ("text/plain", #"{"topic": "sales", "message": "m"}"#, 415, "unsupported_media_type"),
        ("application/json; charset=latin1", #"{"topic": "sales", "message": "m"}"#, 415, "unsupported_media_type"),
        ("application/json", #"{"topic": "sales"}"#, 422, "missing_message"),
        ("application/json", #"{"message": "m"}"#, 422, "missing_target"),
        ("application/json", #"{"topic": "nope", "message": "m"}"#, 422, "unknown_topic"),
        ("application/json", #"{"channels": ["fax"], "message": "m"}"#, 422, "unknown_channel"),
        ("application/json", #"{"user_id": "nobody", "message": "m"}"#, 422, "unknown_user"),
        ("application/json", #"{"channel": "sms", "message": "m", "user_id": "789"}"#, 202, nil),
        ("application/json", #"{"topic": "sales", "message": "m", "urgency": 1}"#, 422, "unknown_field"),
        ("application/json", #"{"topic": "sales", "template": "nope"}"#, 422, "unknown_template"),
        ("application/json", #"{"topic": "sales", "template": "welcome"}"#, 422, "missing_template_data"),
        ("application/json", #"{"topic": 5, "message": "m"}"#, 422, "invalid_value"),
        ("application/json", #"{"topic": "sales", "message": "m", "subject": "a\r\nBcc: x"}"#, 422, "invalid_value"),
    ] as [(String, String, Int, String?)])
    func badRequestsGetTheContractCodeAndChangeNothing(contentType: String, body: String, status: Int, code: String?) async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let response = try await onThread { try client.request("POST", "/v1/notifications", body: body, contentType: contentType) }
        #expect(response.status == status)
        #expect(response.errorCode == code)
        if status != 202 {
            #expect(try await fixture.herald.queue.depth().ready == 0)
            let error = try #require(response.json?["error"] as? [String: Any])
            #expect(error["message"] is String)
            #expect(error.keys.contains("field"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func strictJSONErrorsNameLineAndColumnAndChangeNothing() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let trailingComma = try await onThread {
            try client.request("POST", "/v1/notifications", body: "{\"topic\": \"sales\",\n \"message\": \"x\",\n}")
        }
        #expect(trailingComma.status == 400)
        #expect(trailingComma.errorMessage == "the body is not valid JSON: line 2, column 16: trailing comma")
        let duplicate = try await onThread {
            try client.request("PUT", "/v1/users/42", body: #"{"email": "a@example.com", "email": "b@example.com"}"#)
        }
        #expect(duplicate.status == 400)
        #expect(duplicate.errorCode == "invalid_json")
        #expect(duplicate.errorMessage == #"the body is not valid JSON: line 1, column 28: duplicate key "email""#)
        #expect(try await onThread { try client.request("GET", "/v1/users/42/contact-info") }.status == 404)
        #expect(try await fixture.herald.queue.depth().ready == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func maxBodyBytesIsInclusive() async throws {
        let fixture = try await APIFixture(maxBodyBytes: 200)
        defer { Task { await fixture.server.shutdown() } }
        let prefix = #"{"topic": "sales", "message": ""#
        let exact = prefix + String(repeating: "x", count: 200 - prefix.utf8.count - 2) + #""}"#
        #expect(exact.utf8.count == 200)
        let client = try fixture.client()
        #expect(try await onThread { try client.request("POST", "/v1/notifications", body: exact) }.status == 202)
        let over = try await onThread { try client.request("POST", "/v1/notifications", body: exact + " ") }
        #expect(over.status == 413)
        #expect(over.errorCode == "body_too_large")
        #expect(try await fixture.herald.queue.depth().ready == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func idempotencyKeysReplayAndRejectReuse() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let body = #"{"topic": "purchase", "user_id": "123", "message": "Thanks"}"#
        let first = try await onThread { try client.request("POST", "/v1/notifications", body: body, headers: ["Idempotency-Key": "order-1"]) }
        let repeated = try await onThread {
            try client.request("POST", "/v1/notifications", body: #"{"message": "Thanks", "user_id": "123", "topic": "purchase"}"#, headers: ["Idempotency-Key": "order-1"])
        }
        #expect(first.status == 202)
        #expect(repeated.status == 202)
        #expect(repeated.json?["id"] as? String == first.json?["id"] as? String)
        let reused = try await onThread {
            try client.request("POST", "/v1/notifications", body: #"{"topic": "sales", "message": "other"}"#, headers: ["Idempotency-Key": "order-1"])
        }
        #expect(reused.status == 422)
        #expect(reused.errorCode == "idempotency_key_reused")
        #expect(try await fixture.herald.queue.depth().ready == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedDeliveryCanBeRetried() async throws {
        let fixture = try await APIFixture(slack: ScriptedChannel([.failed(reason: "400 invalid_payload")]))
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let id = try #require(try await onThread { try client.request("POST", "/v1/notifications", body: #"{"topic": "sales", "message": "m"}"#) }.json?["id"] as? String)
        try await fixture.herald.worker.drain()
        let failed = try await onThread { try client.request("GET", "/v1/notifications/\(id)") }
        #expect(failed.json?["status"] as? String == "failed")
        #expect(((failed.json?["deliveries"] as? [[String: Any]])?.first?["last_error"] as? String) == "400 invalid_payload")
        let retried = try await onThread { try client.request("POST", "/v1/notifications/\(id)/retry") }
        #expect(retried.status == 202)
        #expect(retried.json?["deliveries"] as? [[String: String]] == [["channel": "slack", "status": "queued"]])
        try await fixture.herald.worker.drain()
        #expect(try await onThread { try client.request("GET", "/v1/notifications/\(id)") }.json?["status"] as? String == "sent")
    }
}

extension RawResponse {
    /// The `message` of a contract error body.
    fileprivate var errorMessage: String? { (json?["error"] as? [String: Any])?["message"] as? String }
}

/// `HeraldAPI.mounted(at:)`: the API under a host's prefix, paths passed as they arrived.
@Suite struct MountedAPITests {
    let api = try! Herald(channels: ["slack": RecordingChannel()]).api.mounted(at: "/notify/")

    @Test func routesUnderThePrefixAreServed() async throws {
        let health = await api.handle(HeraldAPI.Request(method: "GET", path: "/notify/healthz"))
        #expect(health.status == 200)
        let accepted = await api.handle(HeraldAPI.Request(
            method: "POST", path: "/notify/v1/notifications", headers: [("Content-Type", "application/json")],
            body: Array(#"{"topic":"sales","message":"m"}"#.utf8)))
        #expect(accepted.status == 202)
    }

    @Test func aPathOutsideThePrefixIs404NamingTheFullPath() async throws {
        let response = await api.handle(HeraldAPI.Request(method: "GET", path: "/healthz"))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).contains("/healthz"))
        let unknown = await api.handle(HeraldAPI.Request(method: "GET", path: "/notify/v1/nothing"))
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("GET /notify/v1/nothing"))
    }

    @Test func aPrefixThatIsOnlyAStemOfTheSegmentDoesNotMatch() async throws {
        let response = await api.handle(HeraldAPI.Request(method: "GET", path: "/notifyhealthz"))
        #expect(response.status == 404)
    }

    @Test func theRequestIDAHostForwardsIsEchoed() async throws {
        let response = await api.handle(HeraldAPI.Request(
            method: "GET", path: "/notify/healthz", headers: [("X-Request-Id", "req-from-the-host")]))
        #expect(response.header("X-Request-Id") == "req-from-the-host")
    }

    @Test func anErrorResponseHasTheContractBody() throws {
        let response = HeraldAPI.Response.error(status: 413, code: "body_too_large", message: "too large")
        #expect(response.status == 413)
        let document = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = document?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "body_too_large")
        #expect(error?["message"] as? String == "too large")
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
    }
}
