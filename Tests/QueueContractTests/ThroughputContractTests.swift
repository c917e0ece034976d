import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

/// Per-minute counts for the dashboard's chart, the same on every backend: accepts and settled attempts land in
/// the minute they happen, and the series always has the minutes asked for, oldest first.
@Suite struct ThroughputContractTests {
    let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))

    @Test(arguments: QueueImplementation.allCases)
    func acceptsAndAttemptsAreCountedInTheirMinute(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let source = try #require(subject.queue as? any ThroughputSource)
        for name in ["a", "b", "c"] {
            let id = NotificationID(rawValue: "ntf_\(name)")
            let record = NotificationRecord(
                id: id, topic: "t", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
                deliveries: [DeliveryRecord(channel: "slack", status: .queued, updatedAt: clock.now)])
            _ = try await subject.queue.enqueue(Submission(
                record: record, units: [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: clock.now)],
                idempotency: nil))
        }
        clock.advance(by: .seconds(60))
        func take() async throws -> Reservation {
            try #require(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
        }
        let first = try await take()
        _ = try await subject.queue.acknowledge(
            first, recording: DeliveryRecord(channel: "slack", status: .sent, attempts: 1, updatedAt: clock.now))
        let second = try await take()
        _ = try await subject.queue.scheduleRetry(
            second, as: second.unit, at: clock.now.addingTimeInterval(600),
            recording: DeliveryRecord(channel: "slack", status: .retrying, attempts: 1, updatedAt: clock.now))
        let third = try await take()
        _ = try await subject.queue.deadLetter(
            third, reason: "no", recording: DeliveryRecord(channel: "slack", status: .failed, attempts: 1, updatedAt: clock.now))

        let minutes = try await source.throughput(minutes: 15)
        #expect(minutes.count == 15)
        // 1,800,000,000 s is a whole minute (30,000,000 × 60): the accepts fell in it, the attempts in the next.
        #expect(minutes[13] == ThroughputMinute(start: Date(timeIntervalSince1970: 1_800_000_000), accepted: 3))
        #expect(minutes[14] == ThroughputMinute(start: Date(timeIntervalSince1970: 1_800_000_060), sent: 1, retried: 1, failed: 1))
        #expect(minutes.dropLast(2).allSatisfy { $0.accepted + $0.sent + $0.retried + $0.failed == 0 })
    }
}
