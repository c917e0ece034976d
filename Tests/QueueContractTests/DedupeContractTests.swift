import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTesting
import Testing

/// `dedupe_key` on every queue backend: a key held inside its window answers with the first notification and
/// writes nothing; after the window the key is free again; it is separate from the idempotency key.
@Suite(.serialized) struct DedupeContractTests {
    let clock = ManualClock()

    private func submission(_ name: String, dedupe: String?, window: TimeInterval = 600, idempotency: String? = nil) -> Submission {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: "ops", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
            deliveries: [DeliveryRecord(channel: "slack", status: .queued, updatedAt: clock.now)])
        return Submission(
            record: record, units: [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: clock.now)],
            idempotency: idempotency.map {
                IdempotencyEntry(key: $0, fingerprint: name, notificationID: id, expiresAt: clock.now.addingTimeInterval(86_400))
            },
            dedupe: dedupe.map {
                IdempotencyEntry(key: $0, fingerprint: "", notificationID: id, expiresAt: clock.now.addingTimeInterval(window))
            })
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func aHeldKeyAnswersWithTheFirstNotificationAndWritesNothing(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        #expect(try await subject.queue.enqueue(submission("first", dedupe: "disk-full@db1")) == .accepted)
        clock.advance(by: .seconds(599))
        let outcome = try await subject.queue.enqueue(submission("second", dedupe: "disk-full@db1"))
        guard case .deduplicated(let first) = outcome else { Issue.record("expected deduplicated, got \(outcome)"); return }
        #expect(first.notificationID == "ntf_first")
        #expect(try await subject.store.record(for: "ntf_second") == nil)
        #expect(try await subject.queue.depth().ready == 1)

        #expect(try await subject.queue.enqueue(submission("other", dedupe: "disk-full@db2")) == .accepted)
        clock.advance(by: .seconds(1))
        #expect(try await subject.queue.enqueue(submission("third", dedupe: "disk-full@db1")) == .accepted, "the window ended")
        #expect(try await subject.queue.depth().ready == 3)
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func aDeduplicatedRequestClaimsNoIdempotencyKey(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("first", dedupe: "k", idempotency: "i1"))
        guard case .deduplicated = try await subject.queue.enqueue(submission("second", dedupe: "k", idempotency: "i2")) else {
            Issue.record("expected deduplicated"); return
        }
        #expect(try await subject.idempotency.entry(for: "i2") == nil)
        guard case .duplicate(let entry) = try await subject.queue.enqueue(submission("third", dedupe: "k", idempotency: "i1")) else {
            Issue.record("the idempotency key wins"); return
        }
        #expect(entry.notificationID == "ntf_first")
    }
}
