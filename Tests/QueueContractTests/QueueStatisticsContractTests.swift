import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

/// The operator's snapshot of the queue, the same on every backend (contract §12): per channel the ready,
/// scheduled, in-flight and dead units and the oldest ready one; the live workers with heartbeat and in-flight.
@Suite struct QueueStatisticsContractTests {
    let clock = ManualClock()

    private func accept(_ queue: any DeliveryQueue, _ name: String, _ channels: [ChannelName], at readyAt: Date? = nil)
        async throws
    {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let status: DeliveryStatus = readyAt == nil ? .queued : .scheduled
        let record = NotificationRecord(
            id: id, topic: "t", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
            deliveries: channels.map { DeliveryRecord(channel: $0, status: status, updatedAt: clock.now) }, scheduledFor: readyAt)
        _ = try await queue.enqueue(Submission(
            record: record,
            units: channels.map { DeliveryUnit(id: DeliveryID(notificationID: id, channel: $0), readySince: readyAt ?? clock.now) },
            idempotency: nil, readyAt: readyAt))
    }

    @Test(arguments: QueueImplementation.allCases)
    func countsPerChannelAndLiveWorkers(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let source = try #require(subject.queue as? any QueueStatisticsSource)
        let first = clock.now
        try await accept(subject.queue, "a", ["email"])
        clock.advance(by: .seconds(5))
        try await accept(subject.queue, "b", ["slack", "slack2"])
        try await accept(subject.queue, "c", ["sms"], at: clock.now.addingTimeInterval(3600))
        // w1 takes a's email and dead-letters it, then takes b's slack and holds it.
        let email = try #require(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
        #expect(email.unit.id.channel == "email")
        #expect(try await subject.queue.deadLetter(email, reason: "550", recording: nil))
        clock.advance(by: .seconds(2))
        let held = try #require(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
        #expect(held.unit.id.channel == "slack")

        let stats = try await source.statistics(channels: ["email", "push", "slack", "slack2", "sms"])
        #expect(stats.isComplete)
        #expect(stats.channels["email"]?.dead == 1 && stats.channels["email"]?.ready == 0)
        #expect(stats.channels["slack"]?.inFlight == 1 && stats.channels["slack"]?.ready == 0)
        #expect(stats.channels["slack2"]?.ready == 1)
        let oldest = try #require(stats.channels["slack2"]?.oldestReadySince)
        #expect(abs(oldest.timeIntervalSince(first.addingTimeInterval(5))) < 0.01)
        #expect(stats.channels["sms"]?.scheduled == 1)
        #expect(stats.channels["push"] == QueueStatistics.Channel(), "a configured channel is listed while empty")
        #expect(stats.workers.map(\.id) == ["w1"])
        #expect(stats.workers.first?.inFlight == 1)
        let heartbeat = try #require(stats.workers.first?.lastHeartbeat)
        #expect(abs(heartbeat.timeIntervalSince(clock.now)) < 0.01)

        clock.advance(by: .seconds(31))
        #expect(try await source.statistics(channels: []).workers.isEmpty, "a worker whose lease ran out is not live")
    }
}
