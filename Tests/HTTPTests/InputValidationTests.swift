import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Contract §8, "Addresses are validated": user ids, addresses and subjects are checked at accept and at
/// `PUT`, answered `422 invalid_value` naming the field, and never reach a user service or a mail server.
@Suite(.serialized) struct InputValidationTests {
    /// An API over a Herald whose users live in a remote user service and whose `email` channel is real SMTP.
    private struct RemoteUsersFixture {
        let server: HTTPServer
        let users: HTTPRecorder
        let smtp: SMTPRecorder

        init() async throws {
            users = try await HTTPRecorder.start()
            smtp = try await SMTPRecorder.start()
            var configuration = HeraldConfiguration.embeddedDefault
            configuration.users = .http(baseURL: users.url(), cache: .zero, timeout: .seconds(5))
            configuration.channels["email"] = HeraldConfiguration.ChannelSettings(
                kind: .smtp(HeraldConfiguration.ChannelSettings.SMTPSettings(host: "127.0.0.1", port: smtp.port, from: "herald@example.com")))
            let herald = try Herald(configuration: configuration)
            let api = herald.api
            var settings = HTTPServer.Configuration()
            settings.port = 0
            server = try HTTPServer(configuration: settings, handler: { await api.handle($0) })
        }

        func client() throws -> RawHTTPClient { try RawHTTPClient(port: server.port) }
    }

    private func field(_ response: RawResponse) -> String? {
        (response.json?["error"] as? [String: Any])?["field"] as? String
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["..", ".", "../admin", "a/b", "a b", String(repeating: "u", count: 129)])
    func aUserIDThatIsNotAnIDIsRefusedBeforeTheUserServiceIsAsked(id: String) async throws {
        let fixture = try await RemoteUsersFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["user_id": id, "message": "m"]), as: UTF8.self)
        let response = try await onThread { try client.request("POST", "/v1/notifications", body: body) }
        #expect(response.status == 422)
        #expect(response.errorCode == "invalid_value")
        #expect(field(response) == "user_id")
        #expect(try await fixture.users.requests().isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func aContactThatIsNotAMailboxNeverReachesRCPTTO() async throws {
        let fixture = try await RemoteUsersFixture()
        defer { Task { await fixture.server.shutdown() } }
        try await fixture.users.script([ScriptedAnswer(200, body: #"{"email": "a@x>,<b@y", "preferred_channel": "email"}"#)])
        let client = try fixture.client()
        let response = try await onThread {
            try client.request("POST", "/v1/notifications", body: #"{"user_id": "123", "channel": "email", "message": "m"}"#)
        }
        #expect(response.status == 422)
        #expect(response.errorCode == "invalid_value")
        #expect(field(response) == "user_id")
        #expect(try await fixture.smtp.connectionCount() == 0)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        ("/v1/users/..", #"{"email": "ana@example.com"}"#, "id"),
        ("/v1/users/%2E%2E", #"{"email": "ana@example.com"}"#, "id"),
        ("/v1/users/a%2Fb", #"{"email": "ana@example.com"}"#, "id"),
        ("/v1/users/42", #"{"email": "a@x>,<b@y"}"#, "email"),
        ("/v1/users/42", #"{"email": "ana@example.com, ops@example.com"}"#, "email"),
        ("/v1/users/42", #"{"email": "\"ana smith\"@example.com"}"#, "email"),
        ("/v1/users/42", #"{"sms": "+1"}"#, "sms"),
        ("/v1/users/42", #"{"sms": "555-0002222"}"#, "sms"),
    ])
    func anInvalidIDOrAddressIsRefusedAtPUTAndChangesNothing(path: String, body: String, expectedField: String) async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let response = try await onThread { try client.request("PUT", path, body: body) }
        #expect(response.status == 422)
        #expect(response.errorCode == "invalid_value")
        #expect(field(response) == expectedField)
        #expect(try await onThread { try client.request("GET", "/v1/users/42/contact-info") }.status == 404)
    }

    @Test(.timeLimit(.minutes(1)))
    func aSubjectOverNineHundredNinetyEightOctetsIsRefusedAtAcceptRenderedOrNot() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        func post(_ object: [String: Any]) async throws -> RawResponse {
            let body = try String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            return try await onThread { try client.request("POST", "/v1/notifications", body: body) }
        }
        let longest = try await post(["topic": "pricing", "message": "m", "subject": String(repeating: "s", count: 998)])
        #expect(longest.status == 202)
        for subject in [String(repeating: "s", count: 999), String(repeating: "é", count: 500)] {
            let tooLong = try await post(["topic": "pricing", "message": "m", "subject": subject])
            #expect(tooLong.status == 422)
            #expect(tooLong.errorCode == "invalid_value")
            #expect(field(tooLong) == "subject")
        }
        let rendered = try await post(["topic": "pricing", "template": "welcome", "data": ["name": String(repeating: "n", count: 990)]])
        #expect(rendered.status == 422)
        #expect(rendered.errorCode == "invalid_value")
        #expect(field(rendered) == "subject")
        #expect(try await fixture.herald.queue.depth().ready == 1)
    }
}
