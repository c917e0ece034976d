import Foundation
import HeraldApplication
import HeraldChannels
import HeraldDomain
import HeraldTestSupport
import HeraldTesting
import Testing

/// The FCM channel and its OAuth 2.0 token exchange against a local TLS server that speaks only HTTP/2 (contract §10).
@Suite(.serialized) struct FCMChannelWireTests {
    static let token = "fcm_token:" + String(repeating: "Ab1-", count: 20)
    static let tokenAnswer = ScriptedAnswer(200, body: #"{"access_token":"ya29.token-{{n}}","expires_in":3600,"token_type":"Bearer"}"#)

    static func message(to tokens: [String] = [token], data: [String: JSONValue] = [:], priority: NotificationPriority = .normal)
        -> OutgoingMessage
    {
        OutgoingMessage(
            deliveryID: DeliveryID(notificationID: "ntf_fcm", channel: "android", recipient: tokens.first), topic: "security",
            userID: "ana", subject: "New sign-in", body: "Was it you?", recipients: tokens, data: data, priority: priority)
    }

    static func channel(_ server: PushRecorder, _ keys: PushCredentials, clock: ManualClock = ManualClock()) throws -> FCMChannel {
        let account = try FCMServiceAccount(json: keys.serviceAccountJSON(tokenURI: server.url("/token")))
        return try FCMChannel(
            serviceAccount: account, projectID: nil, baseURL: server.url(), tokenURL: nil,
            transport: HTTPTransport(timeout: .seconds(10)), clock: clock)
    }

    static func sends(_ server: PushRecorder) throws -> [RecordedRequest] {
        try server.requests().filter { $0.path.hasSuffix("/messages:send") }
    }

    static func exchanges(_ server: PushRecorder) throws -> [RecordedRequest] {
        try server.requests().filter { $0.path == "/token" }
    }

    static func form(_ request: RecordedRequest) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in request.bodyText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    @Test(.timeLimit(.minutes(1)))
    func sendsTheV1MessageWithAnAccessTokenFromAnRS256AssertionAnIndependentVerifierAccepts() async throws {
        let keys = try PushCredentials.make()
        let server = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { server.stop() }
        let clock = ManualClock()
        let fcm = try Self.channel(server, keys, clock: clock)
        let outcome = try await fcm.send(Self.message(data: ["order": .string("A-1"), "count": .number(3), "vip": .bool(true)]))
        #expect(outcome == .sent)
        #expect(server.rejectedConnections() == 0)

        let exchange = try #require(try Self.exchanges(server).first)
        #expect(exchange.header("content-type") == "application/x-www-form-urlencoded")
        let form = Self.form(exchange)
        #expect(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        let assertion = try #require(form["assertion"])
        let verified = try PushCredentials.verifyJWTs([assertion], publicKeyPEM: keys.rsaPublicPEM)[0]
        #expect(verified.header["alg"] as? String == "RS256")
        #expect(verified.header["kid"] as? String == "kid-1234")
        #expect(verified.claims["iss"] as? String == "herald@herald-test.iam.gserviceaccount.com")
        #expect(verified.claims["scope"] as? String == "https://www.googleapis.com/auth/firebase.messaging")
        #expect(verified.claims["aud"] as? String == server.url("/token").absoluteString)
        let issuedAt = Int(clock.now.timeIntervalSince1970)
        #expect(verified.claims["iat"] as? Int == issuedAt)
        #expect(verified.claims["exp"] as? Int == issuedAt + 3600)

        let send = try #require(try Self.sends(server).first)
        #expect(send.path == "/v1/projects/herald-test/messages:send")
        #expect(send.header("authorization") == "Bearer ya29.token-1")
        let message = try #require(send.json?["message"] as? [String: Any])
        #expect(message["token"] as? String == Self.token)
        #expect(message["notification"] as? [String: String] == ["title": "New sign-in", "body": "Was it you?"])
        #expect(message["data"] as? [String: String] == ["order": "A-1", "count": "3", "vip": "true"])
        #expect(message["android"] == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func theAccessTokenIsKeptUntilFiveMinutesBeforeItExpires() async throws {
        let server = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { server.stop() }
        let clock = ManualClock()
        let fcm = try Self.channel(server, try PushCredentials.make(), clock: clock)
        #expect(try await fcm.send(Self.message()) == .sent)
        clock.advance(by: .seconds(54 * 60))
        #expect(try await fcm.send(Self.message(priority: .low)) == .sent)
        clock.advance(by: .seconds(2 * 60))
        #expect(try await fcm.send(Self.message()) == .sent)
        #expect(try Self.exchanges(server).count == 2)
        #expect(await fcm.tokenExchangeCount == 2)
        #expect(try Self.sends(server).map { $0.header("authorization") } == [
            "Bearer ya29.token-1", "Bearer ya29.token-1", "Bearer ya29.token-2",
        ])
        #expect((try Self.sends(server)[1].json?["message"] as? [String: Any])?["android"] as? [String: String] == ["priority": "NORMAL"])
    }

    @Test(.timeLimit(.minutes(1)))
    func a401GetsANewAccessTokenAndOneMoreTryOnly() async throws {
        let renewed = "renewed:" + String(repeating: "x", count: 20)
        let refused = "refused:" + String(repeating: "y", count: 20)
        let server = try await PushRecorder.start([
            PushRule(pathContains: "/token", [Self.tokenAnswer]),
            PushRule(pathContains: "/messages:send", [ScriptedAnswer(401), ScriptedAnswer(200), ScriptedAnswer(401)]),
        ])
        defer { server.stop() }
        let fcm = try Self.channel(server, try PushCredentials.make())
        #expect(try await fcm.send(Self.message(to: [renewed])) == .sent)
        #expect(try Self.sends(server).map { $0.header("authorization") } == ["Bearer ya29.token-1", "Bearer ya29.token-2"])
        guard case .failed(let reason) = try await fcm.send(Self.message(to: [refused])) else {
            Issue.record("a second 401 fails"); return
        }
        #expect(reason.hasPrefix("FCM answered 401"))
        #expect(try Self.sends(server).count == 4)
        #expect(try Self.exchanges(server).count == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func everyAnswerOfTheTableGetsItsOutcome() async throws {
        func error(_ code: Int, _ status: String, _ message: String, fcmCode: String? = nil, field: String? = nil) -> String {
            var details: [[String: Any]] = []
            if let fcmCode { details.append(["@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcmCode]) }
            if let field {
                details.append(["@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [["field": field, "description": "bad"]]])
            }
            let body: [String: Any] = ["error": ["code": code, "message": message, "status": status, "details": details]]
            return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        }
        let rows: [(answer: ScriptedAnswer, expected: String)] = [
            (ScriptedAnswer(404, body: error(404, "NOT_FOUND", "Requested entity was not found.", fcmCode: "UNREGISTERED")), "gone"),
            (ScriptedAnswer(400, body: error(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", fcmCode: "INVALID_ARGUMENT", field: "message.token")), "gone"),
            (ScriptedAnswer(400, body: error(400, "INVALID_ARGUMENT", "Invalid value at 'message.data'", fcmCode: "INVALID_ARGUMENT", field: "message.data")), "failed"),
            (ScriptedAnswer(403, body: error(403, "PERMISSION_DENIED", "SenderId mismatch", fcmCode: "SENDER_ID_MISMATCH")), "failed"),
            (ScriptedAnswer(429, headers: ["retry-after": "7"], body: error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", fcmCode: "QUOTA_EXCEEDED")), "rate limited 7"),
            (ScriptedAnswer(500, body: error(500, "INTERNAL", "Internal error", fcmCode: "INTERNAL")), "retry"),
            (ScriptedAnswer(503, body: error(503, "UNAVAILABLE", "Unavailable", fcmCode: "UNAVAILABLE")), "retry"),
        ]
        let tokens = rows.indices.map { "row\($0):" + String(repeating: "t", count: 20) }
        let keys = try PushCredentials.make()
        for (token, row) in zip(tokens, rows) {
            let single = try await PushRecorder.start([
                PushRule(pathContains: "/token", [Self.tokenAnswer]), PushRule(pathContains: "/messages:send", [row.answer]),
            ])
            defer { single.stop() }
            let fcm = try Self.channel(single, keys)
            let outcome = try await fcm.send(Self.message(to: [token]))
            let kind: String
            switch outcome {
            case .addressGone(let reason):
                kind = "gone"
                #expect(reason.contains("FCM answered \(row.answer.status)"))
            case .failed: kind = "failed"
            case .rateLimited(let after, _): kind = after.map { "rate limited \($0.components.seconds)" } ?? "rate limited"
            case .retry: kind = "retry"
            case .sent: kind = "sent"
            }
            #expect(kind == row.expected, "\(row.answer.status) \(row.answer.body)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aRefusedOrUnavailableTokenEndpointFailsOrRetriesWithoutSending() async throws {
        let refused = try await PushRecorder.start([
            PushRule(pathContains: "/token", [ScriptedAnswer(400, body: #"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#)]),
        ])
        defer { refused.stop() }
        guard case .failed(let reason) = try await Self.channel(refused, try PushCredentials.make()).send(Self.message()) else {
            Issue.record("invalid_grant fails"); return
        }
        #expect(reason == "Google's token endpoint answered 400: invalid_grant: Invalid JWT Signature.")
        #expect(try Self.sends(refused).isEmpty)

        let unavailable = try await PushRecorder.start([PushRule(pathContains: "/token", [ScriptedAnswer(503), Self.tokenAnswer])])
        defer { unavailable.stop() }
        let fcm = try Self.channel(unavailable, try PushCredentials.make())
        guard case .retry = try await fcm.send(Self.message()) else { Issue.record("503 from the token endpoint retries"); return }
        #expect(try await fcm.send(Self.message()) == .sent)
        #expect(try Self.sends(unavailable).count == 1)
    }

    @Test func serviceAccountsWithoutWhatFCMNeedsAreRefusedNamingTheField() throws {
        let keys = try PushCredentials.make()
        let good = keys.serviceAccountJSON(tokenURI: URL(string: "https://oauth2.googleapis.com/token")!)
        func without(_ field: String) -> String {
            var object = try! JSONSerialization.jsonObject(with: Data(good.utf8)) as! [String: Any]
            object[field] = nil
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        #expect(throws: PushCredentialError("the service account has no \"client_email\"")) { try FCMServiceAccount(json: without("client_email")) }
        #expect(throws: PushCredentialError("the service account has no \"private_key\"")) { try FCMServiceAccount(json: without("private_key")) }
        #expect(throws: PushCredentialError.self) { try FCMServiceAccount(json: "not json") }
        let ecAccount = good.replacingOccurrences(
            of: String(decoding: try JSONSerialization.data(withJSONObject: [keys.rsaPEM]), as: UTF8.self).dropFirst().dropLast(),
            with: String(decoding: try JSONSerialization.data(withJSONObject: [keys.p256PEM]), as: UTF8.self).dropFirst().dropLast())
        do {
            _ = try FCMServiceAccount(json: ecAccount)
            Issue.record("an EC key cannot sign RS256")
        } catch {
            #expect(error.message.contains("not an RSA key"))
            for line in PushCredentials.secretLines(of: keys.p256PEM) { #expect(!error.message.contains(line)) }
        }
        let account = try FCMServiceAccount(json: good)
        for line in PushCredentials.secretLines(of: keys.rsaPEM) { #expect(!"\(account)".contains(line)) }
        #expect(throws: PushCredentialError.self) {
            try FCMChannel(serviceAccount: try FCMServiceAccount(json: without("project_id")))
        }
    }
}
