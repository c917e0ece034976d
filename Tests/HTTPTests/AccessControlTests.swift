import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

/// Every log event, for checking what a log line would print.
private final class CapturedLog: LogSink {
    private let events = Mutex<[LogEntry]>([])

    func log(_ event: LogEntry) { events.withLock { $0.append(event) } }

    /// Every message and metadata key and value, one string per event.
    var lines: [String] {
        events.withLock { events in
            events.map { event in
                ([event.message] + event.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                    .joined(separator: " ")
            }
        }
    }
}

/// `herald serve`'s stack (Herald, `makeAPI`, `HTTPServer`) with `http.api_keys` configured, on a free port.
private struct ProtectedAPI {
    static let sendKey = "send-key-0123456789abcdef"
    static let readKey = "read-key-0123456789abcdef"
    static let adminKey = "admin-key-0123456789abcdef"

    let herald: Herald
    let server: HTTPServer
    let log = CapturedLog()

    init(publicMetrics: Bool = false) async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.http.access = HeraldConfiguration.AccessSettings(
            apiKeys: [
                .init(key: Secret(Self.sendKey), scopes: [.send]),
                .init(key: Secret(Self.readKey), scopes: [.read]),
                .init(key: Secret(Self.adminKey), scopes: [.admin, .read]),
            ],
            publicMetrics: publicMetrics)
        herald = try Herald(configuration: configuration, channels: ["slack": RecordingChannel()], logger: log)
        let api = herald.api
        server = try HTTPServer(
            configuration: HTTPServer.Configuration(port: 0), handler: { await api.handle($0) },
            headCheck: { api.answerBeforeBody($0) })
    }

    /// One request on a new connection, with `key` as a bearer token when given.
    func request(_ method: String, _ target: String, key: String? = nil, body: String? = nil, headers: [String: String] = [:])
        async throws -> RawResponse
    {
        let client = try RawHTTPClient(port: server.port)
        var headers = headers
        if let key { headers["Authorization"] = "Bearer \(key)" }
        let sent = headers
        return try await onThread { try client.request(method, target, body: body, headers: sent) }
    }
}

@Suite(.serialized) struct AccessControlTests {
    private let notification = #"{"topic": "sales", "message": "Customer needs help"}"#

    @Test(.timeLimit(.minutes(1)), arguments: [
        ([:], #"Bearer realm="herald""#),
        (["Authorization": "Bearer not-a-configured-key-at-all"], #"Bearer realm="herald", error="invalid_token""#),
        (["Authorization": "Basic c2VuZC1rZXk6"], #"Bearer realm="herald", error="invalid_token""#),
        (["Authorization": "Bearer"], #"Bearer realm="herald", error="invalid_token""#),
        (["Authorization": "Bearer \(ProtectedAPI.sendKey)x"], #"Bearer realm="herald", error="invalid_token""#),
    ] as [([String: String], String)])
    func aMissingOrUnknownKeyIsUnauthorizedWithABearerChallenge(headers: [String: String], challenge: String) async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        let response = try await api.request("POST", "/v1/notifications", body: notification, headers: headers)
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"] == challenge)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["code"] as? String == "unauthorized")
        #expect(error["message"] is String)
        #expect(error["field"] as? String == "Authorization")
        #expect(try await api.herald.queue.depth().ready == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnauthorizedRequestNeverRevealsWhatIsWrongWithItsBody() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        #expect(try await api.request("POST", "/v1/notifications", body: "{").status == 401)
        #expect(try await api.request("POST", "/v1/notifications", body: #"{"topic": "nope", "message": "m"}"#).status == 401)
        #expect(try await api.request("PUT", "/v1/users/42", body: #"{"mail": "x"}"#).status == 401)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        ("POST", "/v1/notifications", ProtectedAPI.readKey, "send"),
        ("POST", "/notify", ProtectedAPI.adminKey, "send"),
        ("GET", "/v1/notifications/ntf_x", ProtectedAPI.sendKey, "read"),
        ("GET", "/v1/users/123/contact-info", ProtectedAPI.sendKey, "read"),
        ("GET", "/users/123/contact-info", ProtectedAPI.sendKey, "read"),
        ("GET", "/metrics", ProtectedAPI.sendKey, "read"),
        ("PUT", "/v1/users/42", ProtectedAPI.readKey, "admin"),
        ("POST", "/v1/notifications/ntf_x/retry", ProtectedAPI.sendKey, "admin"),
    ])
    func aKeyWithoutTheRoutesScopeIsForbidden(method: String, path: String, key: String, scope: String) async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        let body = method == "GET" ? nil : notification
        let response = try await api.request(method, path, key: key, body: body)
        #expect(response.status == 403)
        #expect(response.errorCode == "forbidden")
        #expect((response.json?["error"] as? [String: Any])?["message"] as? String == "this API key lacks the \"\(scope)\" scope")
        #expect(response.headers["www-authenticate"] == #"Bearer realm="herald", error="insufficient_scope", scope="\#(scope)""#)
    }

    @Test(.timeLimit(.minutes(1)))
    func aKeyWithTheRoutesScopeIsServed() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        let accepted = try await api.request("POST", "/v1/notifications", key: ProtectedAPI.sendKey, body: notification)
        #expect(accepted.status == 202)
        let id = try #require(accepted.json?["id"] as? String)
        for alias in ["/notifications", "/notify"] {
            #expect(try await api.request("POST", alias, key: ProtectedAPI.sendKey, body: notification).status == 202)
        }
        #expect(try await api.request("GET", "/v1/notifications/\(id)", key: ProtectedAPI.readKey).status == 200)
        #expect(try await api.request("GET", "/v1/users/123/contact-info", key: ProtectedAPI.readKey).status == 200)
        #expect(try await api.request("GET", "/users/123/contact-info", key: ProtectedAPI.readKey).status == 200)
        let put = try await api.request("PUT", "/v1/users/42", key: ProtectedAPI.adminKey, body: #"{"email": "a@example.com"}"#)
        #expect(put.status == 200)
        let retry = try await api.request("POST", "/v1/notifications/\(id)/retry", key: ProtectedAPI.adminKey)
        #expect(retry.status == 409)
        #expect(retry.errorCode == "nothing_to_retry")
        let lowercaseScheme = try await api.request(
            "GET", "/v1/notifications/\(id)", headers: ["Authorization": "bearer  \(ProtectedAPI.readKey)"])
        #expect(lowercaseScheme.status == 200)
    }

    @Test(.timeLimit(.minutes(1)))
    func healthAndReadinessNeedNoKey() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        #expect(try await api.request("GET", "/healthz").status == 200)
        #expect(try await api.request("GET", "/readyz").status == 200)
        #expect(try await api.request("GET", "/healthz", key: "not-a-configured-key-at-all").status == 200)
    }

    @Test(.timeLimit(.minutes(1)))
    func unknownPathsAndMethodsNeedAValidKeyBeforeTheyAre404Or405() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        #expect(try await api.request("GET", "/nope").status == 401)
        #expect(try await api.request("DELETE", "/v1/notifications/ntf_x").status == 401)
        #expect(try await api.request("GET", "/nope", key: ProtectedAPI.sendKey).status == 404)
        let wrongMethod = try await api.request("PUT", "/v1/notifications", key: ProtectedAPI.readKey)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST, GET")
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsNeedTheReadScopeAndCountDeniedRequests() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        #expect(try await api.request("POST", "/v1/notifications", body: notification).status == 401)
        #expect(try await api.request("POST", "/v1/notifications", key: ProtectedAPI.readKey, body: notification).status == 403)
        #expect(try await api.request("GET", "/metrics").status == 401)
        let metrics = try await api.request("GET", "/metrics", key: ProtectedAPI.readKey)
        #expect(metrics.status == 200)
        for line in [
            #"herald_http_requests_total{route="/v1/notifications",status="401"} 1"#,
            #"herald_http_requests_total{route="/v1/notifications",status="403"} 1"#,
            #"herald_http_requests_total{route="/metrics",status="401"} 1"#,
        ] {
            #expect(metrics.text.contains(line), "missing \(line)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func publicMetricsNeedNoKeyButEverythingElseStillDoes() async throws {
        let api = try await ProtectedAPI(publicMetrics: true)
        defer { Task { await api.server.shutdown() } }
        #expect(try await api.request("GET", "/metrics").status == 200)
        #expect(try await api.request("GET", "/v1/users/123/contact-info").status == 401)
    }

    @Test(.timeLimit(.minutes(1)))
    func keysNeverAppearInTheLogs() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        _ = try await api.request("POST", "/v1/notifications", key: ProtectedAPI.sendKey, body: notification)
        _ = try await api.request("GET", "/metrics", key: ProtectedAPI.sendKey)
        _ = try await api.request("GET", "/metrics", key: "a-wrong-key-that-is-long-enough")
        _ = try await api.request("GET", "/nope", key: ProtectedAPI.adminKey)
        let lines = api.log.lines
        #expect(lines.count == 4)
        #expect(lines.contains { $0.contains("status=403") })
        for secret in [ProtectedAPI.sendKey, ProtectedAPI.adminKey, "a-wrong-key-that-is-long-enough", "Bearer"] {
            #expect(!lines.contains { $0.contains(secret) }, "\(secret) was logged")
        }
    }

    @Test func aHostMountingTheAPIGetsTheSameChecks() async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.http.access.apiKeys = [.init(key: Secret("host-key-0123456789"), scopes: [.send])]
        let herald = try Herald(configuration: configuration, channels: ["slack": RecordingChannel()])
        let api = herald.api
        let body = Array(notification.utf8)
        let json = [(name: "Content-Type", value: "application/json")]
        let anonymous = await api.handle(HeraldAPI.Request(method: "POST", path: "/v1/notifications", headers: json, body: body))
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="herald""#)
        let authorized = await api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications", headers: json + [("Authorization", "Bearer host-key-0123456789")],
            body: body))
        #expect(authorized.status == 202)
        let twoKeys = await api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications",
            headers: json + [("Authorization", "Bearer host-key-0123456789"), ("Authorization", "Bearer other")], body: body))
        #expect(twoKeys.status == 401)
    }

    @Test(.timeLimit(.minutes(1)))
    func aRequestWithoutAKeyIsRefusedFromItsHeadWithoutAContinueOrReadingItsBody() async throws {
        let api = try await ProtectedAPI()
        let client = try RawHTTPClient(port: api.server.port)
        try client.write(
            "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: 100-continue\r\nContent-Length: 65536\r\n\r\n")
        let response = try await onThread { try client.readResponse() }
        #expect(response.status == 401)
        #expect(try await onThread { client.isClosedByServer() })
    }

    @Test(.timeLimit(.minutes(1)))
    func headProbesOfHealthzArePublicAndCarryNoBody() async throws {
        let api = try await ProtectedAPI()
        let client = try RawHTTPClient(port: api.server.port)
        try client.write("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let received = try await onThread { client.readUntilClosed() }
        #expect(received.hasPrefix("HTTP/1.1 200 "))
        #expect(received.hasSuffix("\r\n\r\n"))
        #expect(!received.contains("Content-Length: 0\r\n"))
    }

    /// The dashboard: admin scope once keys are configured; a browser may send the key as the Basic password.
    @Test(.timeLimit(.minutes(1))) func theDashboardNeedsTheAdminScopeAndOffersBasicToABrowser() async throws {
        let api = try await ProtectedAPI()
        defer { Task { await api.server.shutdown() } }
        let anonymous = try await api.request("GET", "/ui")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"] == #"Basic realm="herald dashboard""#, "offered after Bearer")
        let basic = { (key: String) in "Basic " + Data("operator:\(key)".utf8).base64EncodedString() }
        #expect(try await api.request("GET", "/ui", headers: ["Authorization": basic(ProtectedAPI.readKey)]).status == 403)
        let page = try await api.request("GET", "/ui", headers: ["Authorization": basic(ProtectedAPI.adminKey)])
        #expect(page.status == 200)
        #expect(page.headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true)
        #expect(page.headers["x-content-type-options"] == "nosniff")
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let script = try await api.request("GET", "/ui/app.js", key: ProtectedAPI.adminKey)
        #expect(script.status == 200 && script.headers["content-type"] == "text/javascript; charset=utf-8")
        let queue = try await api.request("GET", "/v1/queue", headers: ["Authorization": basic(ProtectedAPI.adminKey)])
        #expect(queue.status == 200, "the page's API calls carry the same Basic credentials")
    }

}
