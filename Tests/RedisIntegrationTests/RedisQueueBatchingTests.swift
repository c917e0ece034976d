import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

/// Concurrent calls on the Redis queue share script calls (accepts, reserves of one worker, settles), and
/// each caller still gets exactly its own answer.
@Suite(.serialized) struct RedisQueueBatchingTests {
    let clock = ManualClock()

    private func submission(_ name: String, key: String? = nil) -> Submission {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: "sales", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
            deliveries: [DeliveryRecord(channel: "slack", status: .queued, updatedAt: clock.now)])
        return Submission(
            record: record, units: [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: clock.now)],
            idempotency: key.map {
                IdempotencyEntry(key: $0, fingerprint: name, notificationID: id, expiresAt: clock.now.addingTimeInterval(86400))
            })
    }

    private func queue(_ redis: RedisClient, batch: Int = 64) -> RedisDeliveryQueue {
        RedisDeliveryQueue(
            client: redis, clock: clock,
            configuration: RedisDeliveryQueue.Configuration(maxBlockingWait: .milliseconds(200), batch: batch),
            serverTimeOverride: { [clock] in clock.now })
    }

    private func sent(_ reservation: Reservation) -> DeliveryRecord {
        DeliveryRecord(channel: reservation.unit.id.channel, status: .sent, attempts: 1, updatedAt: clock.now)
    }

    private func scriptCalls(_ redis: RedisClient) async throws -> Int {
        let info = try await redis.send(RESPCommand("INFO", "commandstats")).string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_evalsha:") }),
            let calls = line.split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) })
        else { return 0 }
        return calls
    }

    @Test(.timeLimit(.minutes(2)))
    func sixtyFourConcurrentReserversGetEachOfAThousandUnitsExactlyOnceInSharedScriptCalls() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2)
        defer { redis.shutdown() }
        let subject = queue(redis)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<16 {
                group.addTask {
                    for index in stride(from: caller, to: 1000, by: 16) {
                        let outcome = try await subject.enqueue(submission("n\(index)"))
                        #expect(outcome == .accepted)
                    }
                }
            }
            try await group.waitForAll()
        }
        let callsBefore = try await scriptCalls(redis)
        let reserved = try await withThrowingTaskGroup(of: [Reservation].self) { group in
            for _ in 0..<64 {
                group.addTask {
                    var mine: [Reservation] = []
                    while let reservation = try await subject.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) {
                        mine.append(reservation)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let reserveCalls = try await scriptCalls(redis) - callsBefore
        let ids = reserved.map(\.unit.id.notificationID.rawValue)
        #expect(ids.count == 1000)
        #expect(Set(ids) == Set((0..<1000).map { "ntf_n\($0)" }))
        #expect(Set(reserved.map(\.token)).count == 1000)
        #expect(reserved.allSatisfy { $0.record?.id == $0.unit.id.notificationID })
        #expect(reserveCalls < 1000)
        #expect(try await subject.leasedTokens(of: "w1") == Set(reserved.map(\.token)))
        #expect(try await subject.depth() == QueueDepth(inFlight: 1000))
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentSettlesEachGetTheirOwnAnswerAndAStaleLeaseGetsFalse() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2)
        defer { redis.shutdown() }
        let subject = queue(redis)
        for index in 0..<30 { _ = try await subject.enqueue(submission("n\(index)")) }
        var stale: [Reservation] = []
        for _ in 0..<10 { stale.append(try #require(try await subject.reserve(for: "gone", lease: .seconds(30), waitingUpTo: .zero))) }
        var fresh: [Reservation] = []
        for _ in 0..<20 { fresh.append(try #require(try await subject.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))) }
        clock.advance(by: .seconds(20))
        try await subject.renewLeases(of: "w1", for: .seconds(30))
        clock.advance(by: .seconds(10))
        #expect(try await subject.recoverExpiredLeases() == LeaseRecovery(recovered: 10))

        let answers = try await withThrowingTaskGroup(of: (String, Bool, Bool).self) { group in
            for reservation in stale {
                group.addTask { ("stale", try await subject.acknowledge(reservation, recording: sent(reservation)), false) }
            }
            for (index, reservation) in fresh.enumerated() {
                group.addTask {
                    switch index % 3 {
                    case 0:
                        return ("ack", try await subject.acknowledge(reservation, recording: sent(reservation)), true)
                    case 1:
                        var retrying = sent(reservation)
                        retrying.status = .retrying
                        return ("retry", try await subject.scheduleRetry(
                            reservation, as: reservation.unit, at: clock.now.addingTimeInterval(60), recording: retrying), true)
                    default:
                        var failed = sent(reservation)
                        failed.status = .failed
                        return ("dead", try await subject.deadLetter(reservation, reason: "r", recording: failed), true)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 30)
        for (kind, answer, expected) in answers { #expect(answer == expected, "\(kind)") }
        let depth = try await subject.depth()
        #expect(depth.inFlight == 0 && depth.scheduled == 7 && depth.dead == 6 && depth.ready == 10)
        let store = RedisNotificationStore(client: redis)
        let statuses = try await withThrowingTaskGroup(of: (Int, DeliveryStatus?).self) { group in
            for (index, reservation) in fresh.enumerated() {
                group.addTask { (index, try await store.record(for: reservation.unit.id.notificationID)?.deliveries.first?.status) }
            }
            return try await group.reduce(into: [Int: DeliveryStatus?]()) { $0[$1.0] = $1.1 }
        }
        for (index, status) in statuses { #expect(status == [DeliveryStatus.sent, .retrying, .failed][index % 3]) }
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentAcceptsWithOneIdempotencyKeyAcceptExactlyOne() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2)
        defer { redis.shutdown() }
        let subject = queue(redis)
        let outcomes = try await withThrowingTaskGroup(of: SubmissionOutcome.self) { group in
            for index in 0..<32 { group.addTask { try await subject.enqueue(submission("n\(index)", key: "same")) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .accepted }.count == 1)
        #expect(try await subject.depth().ready == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func aRecordWrittenBeforeItCountedItsOpenDeliveriesStillExpiresOnceFinished() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2)
        defer { redis.shutdown() }
        let subject = queue(redis)
        _ = try await subject.enqueue(submission("old"))
        _ = try await redis.send(RESPCommand("HDEL", "{herald}:n:ntf_old", "open"))
        let reservation = try #require(try await subject.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
        #expect(try await redis.integer(RESPCommand("PTTL", "{herald}:n:ntf_old")) == -1)
        #expect(try await subject.acknowledge(reservation, recording: sent(reservation)))
        #expect(try await redis.integer(RESPCommand("PTTL", "{herald}:n:ntf_old")) > 0)
        #expect(try await RedisNotificationStore(client: redis).record(for: "ntf_old")?.deliveries.first?.status == .sent)
    }
}
