public import Herald
import Testing

/// The contract's routes as seen through a host that mounted Herald under `prefix`; each framework's tests run
/// every check through its own test client. Paths are written here without the prefix.
public struct HostRouteChecks: Sendable {
    public let client: any HostClient
    public let prefix: String

    public init(_ client: any HostClient, prefix: String) {
        self.client = client
        self.prefix = prefix == "/" ? "" : prefix
    }

    /// The largest body the checks' Herald accepts (``makeHerald()``).
    public static let maxBodyBytes = 2048

    /// A Herald on the embedded default configuration with a small body limit, for route checks.
    public static func makeHerald() throws -> Herald {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.http.maxBodyBytes = maxBodyBytes
        return try Herald(configuration: configuration)
    }

    /// `POST /v1/notifications` answers `202` with an id whose status `GET /v1/notifications/{id}` reports.
    public func acceptsThenReportsStatus() async throws {
        let accepted = try await client.send(
            "POST", prefix + "/v1/notifications", json: #"{"topic":"sales","message":"Customer needs help"}"#)
        #expect(accepted.status == 202)
        let id = try #require(accepted.json?["id"] as? String)
        let status = try await client.send("GET", prefix + "/v1/notifications/\(id)")
        #expect(status.status == 200)
        #expect(status.json?["id"] as? String == id)
        #expect(status.header("Content-Type")?.hasPrefix("application/json") == true)
    }

    /// Retrying a notification with nothing failed is `409 nothing_to_retry`; an unknown one is `404`.
    public func retryAnswersConflictAndNotFound() async throws {
        let accepted = try await client.send(
            "POST", prefix + "/v1/notifications", json: #"{"topic":"sales","message":"again"}"#)
        let id = try #require(accepted.json?["id"] as? String)
        let conflict = try await client.send("POST", prefix + "/v1/notifications/\(id)/retry")
        #expect(conflict.status == 409)
        #expect(conflict.errorCode == "nothing_to_retry")
        let unknown = try await client.send("POST", prefix + "/v1/notifications/ntf_doesnotexist/retry")
        #expect(unknown.status == 404)
        #expect(unknown.errorCode == "not_found")
    }

    /// `GET /v1/users/{id}/contact-info` answers a configured user's contact details.
    public func answersContactInfo() async throws {
        let response = try await client.send("GET", prefix + "/v1/users/123/contact-info")
        #expect(response.status == 200)
        #expect(response.text.contains("ana@example.com"))
    }

    /// `PUT /v1/users/{id}` stores a user that contact-info then returns.
    public func storesUser() async throws {
        let stored = try await client.send(
            "PUT", prefix + "/v1/users/u-77", json: #"{"email":"lee@example.com","preferred_channel":"email"}"#)
        #expect(stored.status == 200)
        let contact = try await client.send("GET", prefix + "/v1/users/u-77/contact-info")
        #expect(contact.status == 200)
        #expect(contact.text.contains("lee@example.com"))
    }

    /// `/healthz`, `/readyz` and `/metrics` answer `200`; metrics in the Prometheus text format.
    public func answersHealthReadinessAndMetrics() async throws {
        #expect(try await client.send("GET", prefix + "/healthz").status == 200)
        #expect(try await client.send("GET", prefix + "/readyz").status == 200)
        let metrics = try await client.send("GET", prefix + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("herald_notifications_accepted_total"))
    }

    /// An unknown path under the prefix is Herald's `404`, naming the full path (prefix included).
    public func unknownPathIsNotFoundNamingTheFullPath() async throws {
        let response = try await client.send("GET", prefix + "/v1/nope")
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
        #expect(response.errorMessage?.contains(prefix + "/v1/nope") == true)
    }

    /// A known path with another method is `405` with `Allow`.
    public func wrongMethodIsMethodNotAllowed() async throws {
        let response = try await client.send("DELETE", prefix + "/v1/notifications")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST, GET")
    }

    /// Bodies one byte over the limit, and far over it, are `413` with the contract's error body.
    public func bodyOverTheLimitIsContentTooLarge() async throws {
        for size in [Self.maxBodyBytes + 1, Self.maxBodyBytes * 8] {
            let body = #"{"topic":"sales","message":""# + String(repeating: "x", count: size) + #""}"#
            let response = try await client.send(
                "POST", prefix + "/v1/notifications", headers: [(name: "X-Request-Id", value: "big-\(size)")],
                body: Array(body.utf8))
            #expect(response.status == 413)
            #expect(response.errorCode == "body_too_large")
            let error = try #require(response.json?["error"] as? [String: Any])
            #expect(error.keys.sorted() == ["code", "field", "message"])
            #expect(response.header("X-Request-Id") == "big-\(size)")
        }
    }

    /// The caller's `X-Request-Id` comes back on the answer.
    public func echoesRequestID() async throws {
        let response = try await client.send(
            "GET", prefix + "/healthz", headers: [(name: "X-Request-Id", value: "client-id-42")])
        #expect(response.header("X-Request-Id") == "client-id-42")
    }
}
