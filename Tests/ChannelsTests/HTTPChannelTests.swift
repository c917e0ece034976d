import Foundation
import HeraldApplication
import HeraldChannels
import HeraldCrypto
import HeraldDomain
import HeraldTestSupport
import Testing

private func message(
    _ body: String = "Customer needs help", subject: String? = nil, recipients: [String] = [], channel: ChannelName = "slack",
    attempt: Int = 1
) -> OutgoingMessage {
    OutgoingMessage(
        deliveryID: DeliveryID(notificationID: "ntf_abc", channel: channel), topic: "sales", userID: "123",
        subject: subject, body: body, recipients: recipients, attempt: attempt)
}

@Suite(.serialized) struct SlackChannelTests {
    @Test(.timeLimit(.minutes(1)))
    func postsEscapedTextAndTreats200AsSent() async throws {
        let server = try await HTTPRecorder.start()
        let slack = SlackChannel(webhookURL: server.url("/services/T000/B000/SECRETPATH"))
        #expect(try await slack.send(message("a < b && c > d", subject: "Alert")) == .sent)
        let request = try #require(try await server.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/services/T000/B000/SECRETPATH")
        #expect(request.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(request.json?["text"] as? String == "*Alert*\na &lt; b &amp;&amp; c &gt; d")
        #expect(request.json?.count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func classifiesEveryAnswer() async throws {
        let server = try await HTTPRecorder.start()
        let slack = SlackChannel(webhookURL: server.url("/hook/SECRET"))
        let inFive = Date().addingTimeInterval(5)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        try await server.script([
            ScriptedAnswer(429, headers: ["Retry-After": "30"], body: "rate_limited"),
            ScriptedAnswer(429, headers: ["Retry-After": formatter.string(from: inFive)]),
            ScriptedAnswer(429),
            ScriptedAnswer(400, body: "invalid_payload"),
            ScriptedAnswer(404, body: "no_service"),
            ScriptedAnswer(500, body: "internal"),
            ScriptedAnswer(503),
        ])
        #expect(try await slack.send(message()) == .rateLimited(retryAfter: .seconds(30), reason: "Slack answered 429: rate_limited"))
        guard case .rateLimited(let dated?, _) = try await slack.send(message()) else {
            Issue.record("an HTTP-date Retry-After must be honoured"); return
        }
        #expect(dated > .seconds(2) && dated <= .seconds(6))
        guard case .rateLimited(nil, _) = try await slack.send(message()) else { Issue.record("429 without Retry-After"); return }
        #expect(try await slack.send(message()) == .failed(reason: "Slack answered 400: invalid_payload"))
        #expect(try await slack.send(message()) == .failed(reason: "Slack answered 404: no_service"))
        #expect(try await slack.send(message()) == .retry(reason: "Slack answered 500: internal"))
        guard case .retry = try await slack.send(message()) else { Issue.record("503 must be retried"); return }
    }

    @Test(.timeLimit(.minutes(1)))
    func secretsEchoedByAProviderAreScrubbedFromTheReason() async throws {
        let server = try await HTTPRecorder.start()
        let hook = server.url("/services/T0AB12CD/B0EF34GH/XSECRETPATH99")
        try await server.script([ScriptedAnswer(400, body: "bad hook \(hook.absoluteString) (XSECRETPATH99, T0AB12CD)")])
        let slack = SlackChannel(webhookURL: hook)
        guard case .failed(let reason) = try await slack.send(message()) else { Issue.record("400 must fail"); return }
        #expect(!reason.contains("XSECRETPATH99") && !reason.contains("T0AB12CD") && !reason.contains("B0EF34GH"))
        #expect(reason.hasPrefix("Slack answered 400: bad hook ***"))

        try await server.script([
            ScriptedAnswer(401, body: #"{"code": 20003, "message": "Authenticate with tok3n-secret"}"#),
            ScriptedAnswer(403, body: #"{"errors": [{"message": "key SG.very-secret is revoked"}]}"#),
        ])
        let twilio = TwilioChannel(accountSID: "AC1", authToken: "tok3n-secret", from: "+1", baseURL: server.url())
        guard case .failed(let twilioReason) = try await twilio.send(message(recipients: ["+1"])) else { Issue.record("401"); return }
        #expect(!twilioReason.contains("tok3n-secret"))
        let sendgrid = SendGridChannel(apiKey: "SG.very-secret", from: "h@example.com", baseURL: server.url())
        guard case .failed(let sendgridReason) = try await sendgrid.send(message(recipients: ["a@example.com"])) else {
            Issue.record("403"); return
        }
        #expect(sendgridReason == "SendGrid answered 403: key *** is revoked")
    }

    @Test(.timeLimit(.minutes(1)))
    func refusedConnectionsAndSlowAnswersAreRetriedWithoutLeakingTheURL() async throws {
        let closedPort = try freeLoopbackPort()
        let refused = SlackChannel(webhookURL: URL(string: "http://127.0.0.1:\(closedPort)/services/T/B/SECRETPATH")!)
        let outcome = try await refused.send(message())
        guard case .retry(let reason) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(!reason.contains("SECRETPATH"))

        let server = try await HTTPRecorder.start()
        try await server.script([ScriptedAnswer(200, delayMilliseconds: 3000)])
        let slow = SlackChannel(
            webhookURL: server.url("/services/T/B/SECRETPATH"), transport: HTTPTransport(timeout: .milliseconds(500)))
        let start = ContinuousClock.now
        let timedOut = try await slow.send(message())
        #expect(ContinuousClock.now - start < .seconds(3))
        guard case .retry(let slowReason) = timedOut else { Issue.record("got \(timedOut)"); return }
        #expect(slowReason.contains("timed out"))
        #expect(!slowReason.contains("SECRETPATH"))
        #expect(!"\(slow)".contains("SECRETPATH"))
    }
}

@Suite(.serialized) struct SendGridChannelTests {
    @Test(.timeLimit(.minutes(1)))
    func postsV3JSONWithABearerKey() async throws {
        let server = try await HTTPRecorder.start(defaultStatus: 202)
        let channel = SendGridChannel(apiKey: "SG.secret-key", from: "herald@example.com", baseURL: server.url())
        #expect(try await channel.send(message("Hi Ana", subject: "Welcome", recipients: ["ana@example.com"], channel: "mail")) == .sent)
        let request = try #require(try await server.requests().first)
        #expect(request.path == "/v3/mail/send")
        #expect(request.header("Authorization") == "Bearer SG.secret-key")
        let json = try #require(request.json)
        #expect((json["from"] as? [String: String]) == ["email": "herald@example.com"])
        #expect(json["subject"] as? String == "Welcome")
        let personalizations = try #require(json["personalizations"] as? [[String: [[String: String]]]])
        #expect(personalizations == [["to": [["email": "ana@example.com"]]]])
        #expect((json["content"] as? [[String: String]]) == [["type": "text/plain", "value": "Hi Ana"]])
        #expect(!"\(channel)".contains("SG.secret-key"))
    }

    @Test(.timeLimit(.minutes(1)))
    func keepsSendGridsErrorMessages() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([
            ScriptedAnswer(400, body: #"{"errors":[{"message":"The from address does not match a verified Sender Identity."}]}"#),
            ScriptedAnswer(429), ScriptedAnswer(502),
        ])
        let channel = SendGridChannel(apiKey: "k", from: "herald@example.com", baseURL: server.url())
        #expect(try await channel.send(message(recipients: ["a@example.com"])) == .failed(
            reason: "SendGrid answered 400: The from address does not match a verified Sender Identity."))
        guard case .rateLimited = try await channel.send(message(recipients: ["a@example.com"])) else { Issue.record("429"); return }
        guard case .retry = try await channel.send(message(recipients: ["a@example.com"])) else { Issue.record("502"); return }
    }
}

@Suite(.serialized) struct TwilioChannelTests {
    @Test(.timeLimit(.minutes(1)))
    func postsFormFieldsWithBasicAuth() async throws {
        let server = try await HTTPRecorder.start(defaultStatus: 201)
        let channel = TwilioChannel(accountSID: "AC123", authToken: "tok3n", from: "+15550001111", baseURL: server.url())
        #expect(try await channel.send(message("Olá 👋 & bye+", recipients: ["+15550002222"], channel: "sms")) == .sent)
        let request = try #require(try await server.requests().first)
        #expect(request.path == "/2010-04-01/Accounts/AC123/Messages.json")
        #expect(request.header("Authorization") == "Basic " + Data("AC123:tok3n".utf8).base64EncodedString())
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.bodyText == "To=%2B15550002222&From=%2B15550001111&Body=Ol%C3%A1%20%F0%9F%91%8B%20%26%20bye%2B")
        #expect(!"\(channel)".contains("tok3n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func keepsTwilioErrorCodesAndExplainsOptOuts() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([
            ScriptedAnswer(400, body: #"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}"#),
            ScriptedAnswer(400, body: #"{"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}"#),
            ScriptedAnswer(429), ScriptedAnswer(500),
        ])
        let channel = TwilioChannel(accountSID: "AC1", authToken: "t", from: "+1", baseURL: server.url())
        let optOut = try await channel.send(message(recipients: ["+15550002222"]))
        guard case .failed(let reason) = optOut else { Issue.record("got \(optOut)"); return }
        #expect(reason.contains("21610") && reason.contains("opted out"))
        #expect(try await channel.send(message(recipients: ["+1"])) == .failed(
            reason: "Twilio answered 400: Twilio error 21211: Invalid 'To' Phone Number"))
        guard case .rateLimited = try await channel.send(message(recipients: ["+1"])) else { Issue.record("429"); return }
        guard case .retry = try await channel.send(message(recipients: ["+1"])) else { Issue.record("500"); return }
    }
}

@Suite(.serialized) struct WebhookChannelTests {
    @Test(.timeLimit(.minutes(1)))
    func signsWithStandardWebhooksHeaders() async throws {
        let server = try await HTTPRecorder.start(defaultStatus: 204)
        let fixed = Date(timeIntervalSince1970: 1_800_000_000)
        let channel = WebhookChannel(url: server.url("/notify"), secret: "whsec_" + Data("top-secret".utf8).base64EncodedString(), transport: HTTPTransport(), now: { fixed })
        #expect(try await channel.send(message("Hi", subject: "S", recipients: ["ana@example.com"], channel: "hook", attempt: 2)) == .sent)
        let request = try #require(try await server.requests().first)
        #expect(request.header("webhook-id") == "ntf_abc.hook")
        #expect(request.header("webhook-timestamp") == "1800000000")
        let expected = "v1," + Data(HMACSHA256.authenticationCode(
            for: Array("ntf_abc.hook.1800000000.".utf8) + Array(request.body), key: Array("top-secret".utf8))).base64EncodedString()
        #expect(request.header("webhook-signature") == expected)
        let json = try #require(request.json)
        #expect(json["id"] as? String == "ntf_abc.hook")
        #expect(json["topic"] as? String == "sales")
        #expect(json["subject"] as? String == "S")
        #expect(json["message"] as? String == "Hi")
        #expect(json["channel"] as? String == "hook")
        #expect(json["recipient"] as? String == "ana@example.com")
        #expect(json["attempt"] as? Int == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func unsignedWhenThereIsNoSecretAnd410IsPermanent() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([ScriptedAnswer(200), ScriptedAnswer(410, body: "gone"), ScriptedAnswer(429), ScriptedAnswer(500)])
        let channel = WebhookChannel(url: server.url("/notify"), secret: nil)
        #expect(try await channel.send(message()) == .sent)
        #expect(try await server.requests().first?.header("webhook-signature") == nil)
        #expect(try await channel.send(message()) == .failed(reason: "webhook answered 410: gone"))
        guard case .rateLimited = try await channel.send(message()) else { Issue.record("429"); return }
        guard case .retry = try await channel.send(message()) else { Issue.record("500"); return }
    }
}

@Suite(.serialized) struct HTTPContactDirectoryTests {
    @Test(.timeLimit(.minutes(1)))
    func asksTheUserServiceAndCachesAnswers() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([
            ScriptedAnswer(200, body: #"{"email": "ana@example.com", "sms": "+15550002222", "preferred_channel": "email"}"#),
            ScriptedAnswer(404, body: "{}"),
            ScriptedAnswer(500),
        ])
        let directory = HTTPContactDirectory(baseURL: server.url("/api"), cacheDuration: .seconds(60))
        let ana = try await directory.profile(for: "123")
        #expect(ana == UserProfile(
            id: "123", contact: Contact(email: "ana@example.com", sms: "+15550002222"),
            preferences: UserPreferences(preferredChannel: "email")))
        #expect(try await directory.profile(for: "123") == ana)
        #expect(try await directory.profile(for: "nobody") == nil)
        await #expect(throws: HTTPTransportError.self) { try await directory.profile(for: "broken") }
        let paths = try await server.requests().map(\.path)
        #expect(paths == ["/api/users/123/contact-info", "/api/users/nobody/contact-info", "/api/users/broken/contact-info"])
    }

    @Test(.timeLimit(.minutes(1)))
    func theUserServiceMayAnswerWithPreferencesAndBadOnesAreRefused() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([
            ScriptedAnswer(200, body: #"{"email": "ana@example.com", "muted_topics": ["pricing"], "preferences": {"channels": {"sms": false}, "topics": {"sales": {"email": false, "slack": true}}}}"#),
            ScriptedAnswer(200, body: #"{"email": "ben@example.com", "preferences": {"channels": {"sms": 0}}}"#),
        ])
        let directory = HTTPContactDirectory(baseURL: server.url("/api"))
        let ana = try #require(try await directory.profile(for: "ana"))
        #expect(ana.preferences == UserPreferences(
            mutedTopics: ["pricing"], channelOptOuts: ["sms"], topicOptOuts: ["sales": ["email"]]))
        await #expect(throws: HeraldError(.invalidValue, "", field: "user_id")) { try await directory.profile(for: "ben") }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["..", ".", "../admin?x=1", "a/b", "", String(repeating: "u", count: 129)])
    func neverPutsAnInvalidUserIDInAURL(id: String) async throws {
        let server = try await HTTPRecorder.start()
        let directory = HTTPContactDirectory(baseURL: server.url("/api"))
        await #expect(throws: HeraldError(.invalidValue, "", field: "user_id")) { try await directory.profile(for: UserID(id)) }
        #expect(try await server.requests().isEmpty)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        #"{"email": "a@x>,<b@y"}"#, #"{"email": "ana@example.com\r\nBcc: x@evil.example"}"#, #"{"email": "\"a b\"@example.com"}"#,
        #"{"sms": "+1555"}"#, #"{"sms": "+15550002222, +15550003333"}"#,
    ])
    func refusesAContactWithAnInvalidAddress(answer: String) async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([ScriptedAnswer(200, body: answer)])
        let directory = HTTPContactDirectory(baseURL: server.url("/api"))
        await #expect(throws: HeraldError(.invalidValue, "", field: "user_id")) { try await directory.profile(for: "123") }
    }

    @Test(.timeLimit(.minutes(1)))
    func theUserServiceCacheIsBoundedAndForgetsTheLeastRecentlyUsedFirst() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script(Array(repeating: ScriptedAnswer(200, body: #"{"email": "a@example.com"}"#), count: 5))
        let directory = HTTPContactDirectory(baseURL: server.url("/api"), cacheDuration: .seconds(60), cacheCapacity: 2)
        for id in ["u1", "u2", "u1", "u3", "u1", "u2"] { _ = try await directory.profile(for: UserID(id)) }
        let asked = try await server.requests().map(\.path)
        #expect(asked == ["/api/users/u1/contact-info", "/api/users/u2/contact-info", "/api/users/u3/contact-info",
                          "/api/users/u2/contact-info"])
    }
}
