import Foundation
import HeraldApplication
import HeraldChannels
import HeraldCrypto
import HeraldDomain
import HeraldTestSupport
import HeraldTesting
import Testing

/// The APNs channel against a local TLS server that speaks only HTTP/2, as APNs does (contract §10).
@Suite(.serialized) struct APNSChannelWireTests {
    static let token = String(repeating: "ab", count: 32)

    static func message(
        to tokens: [String] = [token], subject: String? = "New sign-in", priority: NotificationPriority = .normal,
        collapseKey: String? = nil, data: [String: JSONValue] = [:], notification: NotificationID = "ntf_apns"
    ) -> OutgoingMessage {
        OutgoingMessage(
            deliveryID: DeliveryID(notificationID: notification, channel: "ios", recipient: tokens.first), topic: "security",
            userID: "ana", subject: subject, body: "Was it you?", recipients: tokens, data: data, priority: priority,
            collapseKey: collapseKey)
    }

    static func channel(_ server: PushRecorder, _ keys: PushCredentials, clock: ManualClock = ManualClock()) throws -> APNSChannel {
        APNSChannel(
            teamID: "TEAM123456", keyID: "KEY1234567", signingKey: try APNSChannel.signingKey(fromPEM: keys.p256PEM),
            topic: "com.example.app", baseURL: server.url(), transport: HTTPTransport(timeout: .seconds(10)), clock: clock)
    }

    static func jwt(_ request: RecordedRequest) -> String {
        String((request.header("authorization") ?? "").dropFirst("bearer ".count))
    }

    @Test(.timeLimit(.minutes(1)))
    func sendsOverHTTP2WithEveryHeaderTheBodyAndAnES256TokenAnIndependentVerifierAccepts() async throws {
        let keys = try PushCredentials.make()
        let server = try await PushRecorder.start(fallback: ScriptedAnswer(200, headers: ["apns-id": "x"]))
        defer { server.stop() }
        let clock = ManualClock()
        let apns = try Self.channel(server, keys, clock: clock)
        let outcome = try await apns.send(Self.message(collapseKey: "sign-in", data: ["order": .string("A-1"), "n": .number(3)]))
        #expect(outcome == .sent)
        let request = try #require(try server.requests().first)
        #expect(server.rejectedConnections() == 0, "URLSession negotiated h2 through ALPN")
        #expect(request.method == "POST")
        #expect(request.path == "/3/device/\(Self.token)")
        #expect(request.header("authorization")?.hasPrefix("bearer ") == true)
        #expect(request.header("apns-topic") == "com.example.app")
        #expect(request.header("apns-push-type") == "alert")
        #expect(request.header("apns-priority") == "10")
        #expect(request.header("apns-expiration") == String(Int64(clock.now.timeIntervalSince1970) + 86_400))
        #expect(request.header("apns-collapse-id") == "sign-in")
        let apnsID = try #require(request.header("apns-id"))
        #expect(UUID(uuidString: apnsID) != nil && apnsID == apnsID.lowercased())
        let body = try #require(request.json)
        let aps = try #require(body["aps"] as? [String: Any])
        #expect(aps["alert"] as? [String: String] == ["title": "New sign-in", "body": "Was it you?"])
        #expect(aps["sound"] as? String == "default")
        #expect(body["order"] as? String == "A-1")
        #expect(body["n"] as? Int == 3)

        let verified = try PushCredentials.verifyJWTs([Self.jwt(request)], publicKeyPEM: keys.p256PublicPEM)
        #expect(verified[0].header["alg"] as? String == "ES256")
        #expect(verified[0].header["kid"] as? String == "KEY1234567")
        #expect(verified[0].header.count == 2)
        #expect(verified[0].claims["iss"] as? String == "TEAM123456")
        #expect(verified[0].claims["iat"] as? Int == Int(clock.now.timeIntervalSince1970))
        #expect(verified[0].claims.count == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func lowPriorityIsFiveAndNoCollapseKeyMeansNoCollapseHeader() async throws {
        let server = try await PushRecorder.start()
        defer { server.stop() }
        let apns = try Self.channel(server, try PushCredentials.make())
        #expect(try await apns.send(Self.message(subject: nil, priority: .low)) == .sent)
        let request = try #require(try server.requests().first)
        #expect(request.header("apns-priority") == "5")
        #expect(request.header("apns-collapse-id") == nil)
        #expect((request.json?["aps"] as? [String: Any])?["alert"] as? [String: String] == ["body": "Was it you?"])
    }

    @Test(.timeLimit(.minutes(1)))
    func theApnsIDIsStableAcrossRetriesAndDiffersBetweenDeliveries() async throws {
        let server = try await PushRecorder.start([PushRule(pathContains: Self.token, [ScriptedAnswer(503), ScriptedAnswer(200)])])
        defer { server.stop() }
        let apns = try Self.channel(server, try PushCredentials.make())
        guard case .retry = try await apns.send(Self.message()) else { Issue.record("503 must be retried"); return }
        #expect(try await apns.send(Self.message()) == .sent)
        #expect(try await apns.send(Self.message(notification: "ntf_other")) == .sent)
        let ids = try server.requests().map { $0.header("apns-id") }
        #expect(ids.count == 3)
        #expect(ids[0] == ids[1])
        #expect(ids[1] != ids[2])
        #expect(APNSChannel.notificationID(for: Self.message().deliveryID) == ids[0])
    }

    @Test(.timeLimit(.minutes(1)))
    func oneProviderTokenServesFortyMinutesThenANewOneIsSigned() async throws {
        let server = try await PushRecorder.start()
        defer { server.stop() }
        let clock = ManualClock()
        let apns = try Self.channel(server, try PushCredentials.make(), clock: clock)
        #expect(try await apns.send(Self.message()) == .sent)
        clock.advance(by: .seconds(20 * 60))
        #expect(try await apns.send(Self.message()) == .sent)
        clock.advance(by: .seconds(19 * 60))
        #expect(try await apns.send(Self.message()) == .sent)
        clock.advance(by: .seconds(2 * 60))
        #expect(try await apns.send(Self.message()) == .sent)
        let tokens = try server.requests().map(Self.jwt)
        #expect(Set(tokens[0...2]).count == 1, "reused for 39 minutes")
        #expect(tokens[3] != tokens[0], "renewed after 40 minutes")
        #expect(await apns.signedTokenCount == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func anExpiredProviderTokenIsReplacedOnceAndTheSendTriedOnceMore() async throws {
        let expired = String(repeating: "e1", count: 32)
        let invalid = String(repeating: "f2", count: 32)
        let server = try await PushRecorder.start([
            PushRule(pathContains: expired, [ScriptedAnswer(403, body: #"{"reason":"ExpiredProviderToken"}"#), ScriptedAnswer(200)]),
            PushRule(pathContains: invalid, [ScriptedAnswer(403, body: #"{"reason":"InvalidProviderToken"}"#)]),
        ])
        defer { server.stop() }
        let clock = ManualClock()
        let apns = try Self.channel(server, try PushCredentials.make(), clock: clock)
        #expect(try await apns.send(Self.message()) == .sent)
        clock.advance(by: .seconds(10 * 60))
        #expect(try await apns.send(Self.message(to: [expired])) == .sent)
        let tokens = try server.requests().map(Self.jwt)
        #expect(tokens.count == 3)
        #expect(tokens[1] == tokens[0], "the cached token, ten minutes old, went first")
        #expect(tokens[2] != tokens[1], "the retry carries a token signed now")
        #expect(await apns.signedTokenCount == 2)

        let outcome = try await apns.send(Self.message(to: [invalid]))
        #expect(outcome == .failed(reason: "APNs answered 403 InvalidProviderToken"))
        #expect(try server.requests().count == 5, "one renewal and one more try, never a loop")
        #expect(await apns.signedTokenCount == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func everyAnswerOfTheTableGetsItsOutcome() async throws {
        let rows: [(answer: ScriptedAnswer, expected: String)] = [
            (ScriptedAnswer(400, body: #"{"reason":"BadDeviceToken"}"#), "gone"),
            (ScriptedAnswer(400, body: #"{"reason":"DeviceTokenNotForTopic"}"#), "gone"),
            (ScriptedAnswer(410, body: #"{"reason":"Unregistered","timestamp":1700000000000}"#), "gone"),
            (ScriptedAnswer(400, body: #"{"reason":"BadTopic"}"#), "failed"),
            (ScriptedAnswer(413, body: #"{"reason":"PayloadTooLarge"}"#), "failed"),
            (ScriptedAnswer(429, headers: ["retry-after": "7"], body: #"{"reason":"TooManyRequests"}"#), "rate limited 7"),
            (ScriptedAnswer(429, body: #"{"reason":"TooManyRequests"}"#), "rate limited"),
            (ScriptedAnswer(500, body: #"{"reason":"InternalServerError"}"#), "retry"),
            (ScriptedAnswer(503, body: #"{"reason":"ServiceUnavailable"}"#), "retry"),
        ]
        let tokens = rows.indices.map { String(format: "%064x", 0xC0FFEE + $0) }
        let server = try await PushRecorder.start(zip(tokens, rows).map { PushRule(pathContains: $0, [$1.answer]) })
        defer { server.stop() }
        let apns = try Self.channel(server, try PushCredentials.make())
        for (token, row) in zip(tokens, rows) {
            let outcome = try await apns.send(Self.message(to: [token]))
            let kind: String
            switch outcome {
            case .addressGone(let reason):
                kind = "gone"
                #expect(reason.contains("APNs answered \(row.answer.status)"))
            case .failed: kind = "failed"
            case .rateLimited(let after, _): kind = after.map { "rate limited \($0.components.seconds)" } ?? "rate limited"
            case .retry: kind = "retry"
            case .sent: kind = "sent"
            }
            #expect(kind == row.expected, "\(row.answer.status) \(row.answer.body)")
        }
        #expect(await apns.signedTokenCount == 1, "one provider token for all of them")
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableServerIsRetriedAndAMalformedTokenIsGoneWithoutARequest() async throws {
        let port = try freeLoopbackPort()
        let keys = try PushCredentials.make()
        let apns = APNSChannel(
            teamID: "TEAM123456", keyID: "KEY1234567", signingKey: try APNSChannel.signingKey(fromPEM: keys.p256PEM),
            topic: "com.example.app", baseURL: URL(string: "https://127.0.0.1:\(port)")!,
            transport: HTTPTransport(timeout: .seconds(2)), clock: ManualClock())
        guard case .retry(let reason) = try await apns.send(Self.message()) else { Issue.record("refused must retry"); return }
        #expect(reason.hasPrefix("APNs unreachable"))
        guard case .addressGone = try await apns.send(Self.message(to: ["not/a/token"])) else {
            Issue.record("a token that is not hex is gone"); return
        }
    }

    @Test func keysOfTheWrongKindAreRefusedWithoutQuotingThem() throws {
        let keys = try PushCredentials.make()
        #expect(throws: PushCredentialError.self) { try APNSChannel.signingKey(fromPEM: keys.rsaPEM) }
        do {
            _ = try APNSChannel.signingKey(fromPEM: String(keys.p256PEM.dropLast(30)))
            Issue.record("a truncated key must be refused")
        } catch {
            for line in PushCredentials.secretLines(of: keys.p256PEM) { #expect(!"\(error)".contains(line)) }
        }
        let apns = try APNSChannel(
            teamID: "T", keyID: "K", privateKeyPEM: keys.p256PEM, topic: "com.example.app", environment: .sandbox)
        #expect("\(apns)".contains("api.sandbox.push.apple.com"))
        for line in PushCredentials.secretLines(of: keys.p256PEM) { #expect(!"\(apns)".contains(line)) }
    }
}
