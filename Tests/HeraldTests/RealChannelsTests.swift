import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Herald configured with real channel types, delivering to local Slack-, SMTP-, Twilio- and
/// webhook-shaped servers, as a deployment would.
@Suite(.serialized) struct RealChannelsTests {
    private func configuration(http: HTTPRecorder, smtp: SMTPRecorder) throws -> HeraldConfiguration {
        let json = """
            {
              "queue": {"backoff": {"initial_ms": 100, "max_ms": 1000}},
              "channels": {
                "slack": {"type": "slack", "webhook_url": "\(http.url("/services/T/B/SECRET"))"},
                "email": {"type": "smtp", "host": "127.0.0.1", "port": \(smtp.port), "from": "herald@example.com"},
                "sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "env:TWILIO_TOKEN", "from": "+15550001111",
                        "base_url": "\(http.url("/twilio"))"},
                "hook": {"type": "webhook", "url": "\(http.url("/hook"))", "secret": "s3cret"},
                "team_sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "env:TWILIO_TOKEN",
                             "from": "+15550001111", "to": ["+15550003333", "+15550004444"],
                             "base_url": "\(http.url("/twilio"))"}
              },
              "routes": {"purchase": ["slack", "email", "sms", "hook"]},
              "users": [{"id": "123", "email": "ana@example.com", "sms": "+15550002222"}]
            }
            """
        return try HeraldConfiguration.decode(Data(json.utf8), environment: ["TWILIO_TOKEN": "tw-token"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aPurchaseFansOutToEveryProvider() async throws {
        let http = try await HTTPRecorder.start()
        let smtp = try await SMTPRecorder.start()
        try await http.script([ScriptedAnswer(200), ScriptedAnswer(201), ScriptedAnswer(204)])
        let herald = try Herald(configuration: try configuration(http: http, smtp: smtp), clock: ManualClock())
        let receipt = try await herald.send(NotificationRequest(topic: "purchase", message: "Thanks for order 42", userID: "123"))
        try await herald.worker.drain()

        let status = try await herald.status(of: receipt.id)
        #expect(status.deliveries.map(\.status) == [.sent, .sent, .sent, .sent])
        let paths = try await http.requests().map(\.path).sorted()
        #expect(paths == ["/hook", "/services/T/B/SECRET", "/twilio/2010-04-01/Accounts/AC1/Messages.json"])
        let email = try #require(try await smtp.messages().first)
        #expect(email.recipients == ["TO:<ana@example.com>"])
        #expect(email.text.hasSuffix("Thanks for order 42\r\n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aRateLimitedProviderIsRetriedAfterRetryAfterAndEverySendIsCounted() async throws {
        let http = try await HTTPRecorder.start()
        let smtp = try await SMTPRecorder.start()
        try await http.script([
            ScriptedAnswer(429, headers: ["Retry-After": "120"]), ScriptedAnswer(500, body: "oops"), ScriptedAnswer(200),
        ])
        let clock = ManualClock()
        let herald = try Herald(configuration: try configuration(http: http, smtp: smtp), clock: clock)
        let start = clock.now
        let receipt = try await herald.send(NotificationRequest(message: "m", channels: ["slack"]))
        try await herald.worker.drain(advancing: clock)

        let delivery = try #require(try await herald.status(of: receipt.id).deliveries.first)
        #expect(delivery.status == .sent)
        #expect(delivery.attempts == 3)
        #expect(clock.now.timeIntervalSince(start) >= 120)
        #expect(try await http.requests().count == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableUserServiceIsUserServiceUnavailableAndAcceptsNothing() async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.users = .http(
            baseURL: URL(string: "http://127.0.0.1:\(try freeLoopbackPort())")!, cache: .seconds(30), timeout: .seconds(2))
        let herald = try Herald(configuration: configuration, clock: ManualClock())
        await #expect(throws: HeraldError(.userServiceUnavailable, "", field: "user_id")) {
            try await herald.send(NotificationRequest(message: "m", userID: "123"))
        }
        #expect(try await herald.queue.depth().ready == 0)
        #expect(try await herald.send(NotificationRequest(topic: "sales", message: "no user needed")).status == .pending)
    }

    @Test(.timeLimit(.minutes(1)))
    func permanentFailuresKeepTheProvidersReasonButNoSecret() async throws {
        let http = try await HTTPRecorder.start()
        let smtp = try await SMTPRecorder.start()
        try await http.script([ScriptedAnswer(404, body: "no_service")])
        try await smtp.script(["RCPT": ["550 5.1.1 mailbox unavailable"]])
        let herald = try Herald(configuration: try configuration(http: http, smtp: smtp), clock: ManualClock())
        let slack = try await herald.send(NotificationRequest(message: "m", channels: ["slack"]))
        let email = try await herald.send(NotificationRequest(message: "m", userID: "123", channels: ["email"]))
        try await herald.worker.drain()

        let slackDelivery = try #require(try await herald.status(of: slack.id).deliveries.first)
        #expect(slackDelivery.status == .failed)
        #expect(slackDelivery.lastError == "Slack answered 404: no_service")
        let emailDelivery = try #require(try await herald.status(of: email.id).deliveries.first)
        #expect(emailDelivery.status == .failed)
        #expect(emailDelivery.lastError == "SMTP 550 after RCPT TO:<ana@example.com>: 5.1.1 mailbox unavailable")
        let document = String(decoding: StatusDocument.json(for: try await herald.status(of: slack.id)), as: UTF8.self)
        #expect(!document.contains("SECRET") && !document.contains("tw-token"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aRetryAfterOfZeroBacksOffInsteadOfStorming() async throws {
        let http = try await HTTPRecorder.start()
        let smtp = try await SMTPRecorder.start()
        try await http.script(Array(repeating: ScriptedAnswer(429, headers: ["Retry-After": "0"]), count: 5) + [ScriptedAnswer(200)])
        let clock = ManualClock()
        let herald = try Herald(configuration: try configuration(http: http, smtp: smtp), clock: clock)
        let start = clock.now
        let receipt = try await herald.send(NotificationRequest(message: "m", channels: ["hook"]))
        try await herald.worker.drain(advancing: clock)

        let delivery = try #require(try await herald.status(of: receipt.id).deliveries.first)
        #expect(delivery.status == .sent)
        #expect(delivery.attempts == 6)
        #expect(try await http.requests().count == 6)
        // 100 + 200 + 400 + 800 + 1000 ms (initial 100 ms, doubling, capped at max_ms 1000).
        let waited = clock.now.timeIntervalSince(start)
        #expect(waited >= 2.5 && waited < 2.6)
    }

    @Test(.timeLimit(.minutes(1)))
    func anSMSChannelSendsOneDeliveryPerRecipientAndRetriesOnlyTheOneThatFailed() async throws {
        let http = try await HTTPRecorder.start()
        let smtp = try await SMTPRecorder.start()
        try await http.script([
            ScriptedAnswer(201), ScriptedAnswer(429, headers: ["Retry-After": "0"]), ScriptedAnswer(500), ScriptedAnswer(201),
        ])
        let clock = ManualClock()
        let herald = try Herald(configuration: try configuration(http: http, smtp: smtp), clock: clock)
        let receipt = try await herald.send(NotificationRequest(message: "m", channels: ["team_sms"]))
        #expect(receipt.deliveries.map(\.recipient) == ["+15550003333", "+15550004444"])
        try await herald.worker.drain(advancing: clock)

        let recipients = try await http.requests().compactMap { request -> String? in
            let form = String(decoding: request.body, as: UTF8.self)
            return form.split(separator: "&").first { $0.hasPrefix("To=") }.map { String($0.dropFirst(3)) }
        }
        #expect(recipients == ["%2B15550003333", "%2B15550004444", "%2B15550004444", "%2B15550004444"])
        let status = try await herald.status(of: receipt.id)
        #expect(status.deliveries.map(\.status) == [.sent, .sent])
        #expect(status.deliveries.map(\.attempts) == [1, 3])
        let document = String(decoding: StatusDocument.json(for: status), as: UTF8.self)
        #expect(document.contains("\"recipient\":\"+1555•••3333\"") && document.contains("\"recipient\":\"+1555•••4444\""))
        #expect(!document.contains("15550003333") && !document.contains("15550004444"))
    }
}
