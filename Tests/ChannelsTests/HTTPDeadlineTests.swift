import Foundation
import HeraldApplication
import HeraldChannels
import HeraldDomain
import HeraldTestSupport
import Testing

/// Herald's HTTP timeouts are whole-request deadlines kept to the millisecond (contract §8), whatever
/// URLSession does with its own timeouts on Linux (whole seconds, reset by every byte). The bounds are
/// correctness checks with wide margins: "waited the deadline, not zero and not forever".
@Suite(.serialized) struct HTTPDeadlineTests {
    private func message() -> OutgoingMessage {
        OutgoingMessage(
            deliveryID: DeliveryID(notificationID: "ntf_abc", channel: "slack"), topic: "sales", subject: nil,
            body: "Customer needs help", recipients: [])
    }

    @Test(.timeLimit(.minutes(1)))
    func aProviderThatNeverAnswersIsARetryAfterTheDeadlineToTheMillisecond() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([.hang])
        let slack = SlackChannel(webhookURL: server.url("/hook"), transport: HTTPTransport(timeout: .milliseconds(500)))
        let start = ContinuousClock.now
        let outcome = try await slack.send(message())
        let waited = ContinuousClock.now - start
        #expect(outcome == .retry(reason: "Slack unreachable: timed out after 500 ms"))
        #expect(waited >= .milliseconds(450), "gave up after \(waited), before the deadline")
        // Generous for a loaded machine; the reason above says it was Herald's deadline, not URLSession's.
        #expect(waited < .seconds(4), "still waiting \(waited) after a 500 ms deadline")
    }

    @Test(.timeLimit(.minutes(1)))
    func aProviderTricklingItsAnswerCannotHoldADeliveryPastTheDeadline() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([ScriptedAnswer(200, body: String(repeating: "x", count: 80), trickleMilliseconds: 100)])
        let slack = SlackChannel(webhookURL: server.url("/hook"), transport: HTTPTransport(timeout: .milliseconds(1500)))
        let start = ContinuousClock.now
        let outcome = try await slack.send(message())
        let waited = ContinuousClock.now - start
        #expect(outcome == .retry(reason: "Slack unreachable: timed out after 1500 ms"))
        #expect(waited >= .milliseconds(1400), "gave up after \(waited), before the deadline")
        #expect(waited < .seconds(6), "held \(waited) by a trickle (its answer takes 8 s)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aUserServiceThatNeverAnswersFailsTheLookupAtTheDeadline() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([.hang])
        let directory = HTTPContactDirectory(baseURL: server.url(), cacheDuration: .seconds(30), transport: HTTPTransport(timeout: .milliseconds(500)))
        let start = ContinuousClock.now
        let error = await #expect(throws: HTTPTransportError.self) { try await directory.profile(for: "123") }
        let waited = ContinuousClock.now - start
        #expect(error?.cause == "timed out after 500 ms")
        #expect(waited >= .milliseconds(450), "gave up after \(waited), before the deadline")
        // Generous for a loaded machine; the reason above says it was Herald's deadline, not URLSession's.
        #expect(waited < .seconds(4), "still waiting \(waited) after a 500 ms deadline")
    }

    @Test(.timeLimit(.minutes(1)))
    func anAnswerWithinASubSecondDeadlineIsSent() async throws {
        let server = try await HTTPRecorder.start()
        try await server.script([ScriptedAnswer(200, body: "ok", delayMilliseconds: 200)])
        let slack = SlackChannel(webhookURL: server.url("/hook"), transport: HTTPTransport(timeout: .milliseconds(500)))
        #expect(try await slack.send(message()) == .sent)
    }
}
