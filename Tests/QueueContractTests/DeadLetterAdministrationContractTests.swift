import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

/// Dead letters for operators, the same on every queue backend (contract §12): pages newest first with a cursor,
/// per channel; removal by delivery; a requeue or a trim leaves no letter behind in any index.
@Suite struct DeadLetterAdministrationContractTests {
    let clock = ManualClock()

    /// Dead-letters one delivery per channel in `channels`, in order, for notification `name`.
    private func bury(_ queue: any DeliveryQueue, _ name: String, channels: [ChannelName]) async throws {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: "t", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
            deliveries: channels.map { DeliveryRecord(channel: $0, status: .queued, updatedAt: clock.now) })
        _ = try await queue.enqueue(Submission(
            record: record,
            units: channels.map { DeliveryUnit(id: DeliveryID(notificationID: id, channel: $0), readySince: clock.now) },
            idempotency: nil))
        for _ in channels {
            let reservation = try #require(try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
            let failed = DeliveryRecord(
                channel: reservation.unit.id.channel, status: .failed, attempts: 1, lastError: "no", updatedAt: clock.now)
            #expect(try await queue.deadLetter(reservation, reason: "\(name)/\(reservation.unit.id.channel)", recording: failed))
            clock.advance(by: .milliseconds(5))
        }
    }

    private func admin(_ subject: QueueUnderTest) throws -> any DeadLetterAdministration {
        try #require(subject.queue as? any DeadLetterAdministration)
    }

    /// Every page from the first, following cursors.
    private func allPages(_ letters: any DeadLetterAdministration, channel: ChannelName? = nil, limit: Int) async throws
        -> [[String]]
    {
        var pages: [[String]] = []
        var cursor: String?
        repeat {
            let page = try await letters.deadLetterPage(channel: channel, limit: limit, after: cursor)
            pages.append(page.letters.map(\.reason))
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 20
        return pages
    }

    @Test(arguments: QueueImplementation.allCases)
    func pagesGoNewestFirstByCursorAndPerChannel(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let letters = try admin(subject)
        for index in 0..<3 { try await bury(subject.queue, "n\(index)", channels: ["sms", "email"]) }
        #expect(try await allPages(letters, limit: 4) == [
            ["n2/email", "n2/sms", "n1/email", "n1/sms"], ["n0/email", "n0/sms"],
        ])
        #expect(try await allPages(letters, channel: "sms", limit: 2) == [["n2/sms", "n1/sms"], ["n0/sms"]])
        #expect(try await allPages(letters, channel: "push", limit: 2) == [[]])
        #expect(try await allPages(letters, limit: 6) == [["n2/email", "n2/sms", "n1/email", "n1/sms", "n0/email", "n0/sms"]])
    }

    @Test(arguments: QueueImplementation.allCases)
    func removingAndRequeueingTakeLettersOutOfEveryIndex(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let letters = try admin(subject)
        try await bury(subject.queue, "a", channels: ["sms", "email"])
        try await bury(subject.queue, "b", channels: ["sms"])
        let smsOfA = DeliveryID(notificationID: "ntf_a", channel: "sms")
        #expect(try await letters.deadLetters(of: [smsOfA, DeliveryID(notificationID: "ntf_x", channel: "sms")]).count == 1)
        #expect(try await letters.removeDeadLetters(of: [smsOfA, smsOfA]) == 1)
        #expect(try await allPages(letters, channel: "sms", limit: 10) == [["b/sms"]])
        #expect(try await subject.store.record(for: "ntf_a")?.deliveries.first?.status == .failed, "the delivery stays failed")

        #expect(try await subject.queue.requeue("ntf_b", deliveries: [DeliveryID(notificationID: "ntf_b", channel: "sms")]).count == 1)
        #expect(try await allPages(letters, channel: "sms", limit: 10) == [[]])
        #expect(try await allPages(letters, limit: 10) == [["a/email"]])
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func aTrimByCountLeavesNoLetterInAChannelsIndex(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock, deadLetterLimit: 2)
        let letters = try admin(subject)
        for index in 0..<4 { try await bury(subject.queue, "n\(index)", channels: ["sms"]) }
        #expect(try await allPages(letters, channel: "sms", limit: 10) == [["n3/sms", "n2/sms"]])
    }

    @Test(arguments: QueueImplementation.allCases)
    func aCursorThisServerDidNotReturnIsRefused(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        await #expect(throws: HeraldError(.invalidValue, "", field: "cursor")) {
            _ = try await admin(subject).deadLetterPage(channel: nil, limit: 5, after: "nope")
        }
    }
}
