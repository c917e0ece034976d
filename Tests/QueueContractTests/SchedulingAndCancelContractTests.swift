import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

/// Scheduled submissions and cancels, the same on every queue backend (contract §11): a scheduled unit is ready
/// at its time and not before, survives a Redis restart, and a cancel never says `canceled` for what went out.
@Suite(.serialized) struct SchedulingAndCancelContractTests {
    let clock = ManualClock()

    private func submission(_ name: String, channels: [ChannelName] = ["slack"], at readyAt: Date? = nil) -> Submission {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let status: DeliveryStatus = readyAt == nil ? .queued : .scheduled
        let record = NotificationRecord(
            id: id, topic: "sales", userID: nil, content: RenderedContent(subject: nil, body: name),
            createdAt: clock.now,
            deliveries: channels.map { DeliveryRecord(channel: $0, status: status, updatedAt: clock.now) },
            scheduledFor: readyAt)
        return Submission(
            record: record,
            units: channels.map {
                DeliveryUnit(id: DeliveryID(notificationID: id, channel: $0), readySince: readyAt ?? clock.now)
            },
            idempotency: nil, readyAt: readyAt)
    }

    private func reserve(_ queue: any DeliveryQueue) async throws -> Reservation? {
        try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero)
    }

    private func delivery(_ reservation: Reservation, _ status: DeliveryStatus) -> DeliveryRecord {
        DeliveryRecord(channel: reservation.unit.id.channel, status: status, attempts: 1, updatedAt: clock.now)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aScheduledUnitIsReadyAtItsTimeAndNotBefore(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let due = clock.now.addingTimeInterval(3600)
        #expect(try await subject.queue.enqueue(submission("later", channels: ["slack", "email"], at: due)) == .accepted)
        #expect(try await subject.store.record(for: "ntf_later")?.status == .scheduled)
        let stored = try #require(try await subject.store.record(for: "ntf_later")?.scheduledFor)
        #expect(abs(stored.timeIntervalSince(due)) < 0.001, "kept to the millisecond")
        let depth = try await subject.queue.depth()
        #expect(depth.ready == 0 && depth.scheduled == 2)
        #expect(abs((depth.nextScheduledAt ?? .distantPast).timeIntervalSince(due)) < 0.001)

        clock.advance(by: .seconds(3599))
        #expect(try await reserve(subject.queue) == nil, "not a second early")
        clock.advance(by: .seconds(1))
        let first = try #require(try await reserve(subject.queue))
        let second = try #require(try await reserve(subject.queue))
        #expect(Set([first.unit.id.channel, second.unit.id.channel]) == ["slack", "email"])
        #expect(try await subject.queue.acknowledge(first, recording: delivery(first, .sent)))
    }

    @Test func aScheduledNotificationSurvivesARedisRestartAndWorkersStartedLater() async throws {
        let server = try RedisServer(appendOnly: true)
        let due = clock.now.addingTimeInterval(90)
        do {
            let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
            let queue = RedisDeliveryQueue(client: client, clock: clock, serverTimeOverride: { [clock] in clock.now })
            #expect(try await queue.enqueue(submission("restart", at: due)) == .accepted)
            client.shutdown()
        }
        server.stop()
        try server.start()
        clock.advance(by: .seconds(89))
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        let queue = RedisDeliveryQueue(client: client, clock: clock, serverTimeOverride: { [clock] in clock.now })
        #expect(try await RedisNotificationStore(client: client).record(for: "ntf_restart")?.status == .scheduled)
        #expect(try await reserve(queue) == nil)
        clock.advance(by: .seconds(1))
        let reservation = try #require(try await reserve(queue))
        #expect(reservation.unit.id.notificationID == "ntf_restart")
        client.shutdown()
    }

    @Test(arguments: QueueImplementation.allCases)
    func aCancelEndsEveryOpenDeliveryAndASecondCancelFindsNothing(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("soon", channels: ["slack", "email"], at: clock.now.addingTimeInterval(60)))
        let cancellation = try #require(try await subject.queue.cancel("ntf_soon"))
        #expect(cancellation.canceled == 2)
        #expect(cancellation.record.status == .canceled)
        #expect(cancellation.record.deliveries.map(\.status) == [.canceled, .canceled])
        #expect(cancellation.record.canceledAt == clock.now)
        #expect(try await subject.store.record(for: "ntf_soon") == cancellation.record)
        #expect(try await subject.queue.cancel("ntf_soon")?.canceled == 0)
        #expect(try await subject.queue.cancel("ntf_unknown") == nil)

        clock.advance(by: .seconds(60))
        // The units still come due; the worker that takes one finds its delivery final and drops it.
        let reservation = try #require(try await reserve(subject.queue))
        #expect(reservation.record?.delivery(reservation.unit.id)?.status ?? .canceled == .canceled)
        #expect(try await subject.store.record(for: "ntf_soon")?.delivery(reservation.unit.id)?.status == .canceled)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aCancelRacingSendsLeavesWhatWentOutSentAndARetryCanceled(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("race", channels: ["slack", "email"]))
        let slack = try #require(try await reserve(subject.queue))
        let email = try #require(try await reserve(subject.queue))
        #expect(try await subject.queue.cancel("ntf_race")?.canceled == 2)

        // Both were in flight: one went out, the other failed transiently and would be retried.
        #expect(try await subject.queue.acknowledge(slack, recording: delivery(slack, .sent)))
        var unit = email.unit
        unit.attempts = 1
        #expect(try await subject.queue.scheduleRetry(
            email, as: unit, at: clock.now.addingTimeInterval(30), recording: delivery(email, .retrying)))

        let record = try #require(try await subject.store.record(for: "ntf_race"))
        #expect(record.delivery(slack.unit.id)?.status == .sent, "what went out says sent")
        #expect(record.delivery(email.unit.id)?.status == .canceled, "no retry after a cancel")
        #expect(record.status == .sent)
        #expect(try await subject.queue.depth().scheduled == 0)
        clock.advance(by: .seconds(30))
        #expect(try await reserve(subject.queue) == nil)
    }
}
