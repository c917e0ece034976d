import Foundation
import HeraldApplication
import HeraldDomain
@testable import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Testing

/// What holds on a queue spread over partitions (`queue.partitions`), where it differs from a queue in one piece:
/// notifications spread over every partition's hash tag, each found by its id; a deep partition starves no other;
/// claims meet in their key's partition; isolation holds across partitions; lists and dead letters merge.
@Suite(.serialized) struct PartitionedQueueTests {
    let clock = ManualClock()
    static let map = RedisPartitionMap(prefix: "herald", count: 4)

    /// - Parameter realTime: on the system's and Redis's clocks (for waits), instead of the manual clock.
    private func makeQueue(_ server: RedisServer, realTime: Bool = false, deadLetterLimit: Int = 10_000) throws
        -> (PartitionedRedisQueue, RedisClient)
    {
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        let manual = clock
        let queueClock: any WallClock = realTime ? SystemClock() : manual
        let manualTime: @Sendable () -> Date = { manual.now }
        let override = realTime ? nil : manualTime
        let partitioned = PartitionedRedisQueue(
            map: Self.map, clients: Array(repeating: client, count: Self.map.count), clock: queueClock,
            configuration: RedisDeliveryQueue.Configuration(
                deadLetterLimit: deadLetterLimit, maxBlockingWait: .milliseconds(200), batch: 8, acceptBatch: 4),
            blockingSlice: .milliseconds(100), serverTimeOverride: override)
        return (partitioned, client)
    }

    private func submission(
        _ queue: PartitionedRedisQueue, _ body: String, placedWith key: String? = nil, dedupe: String? = nil,
        idempotency: String? = nil, id: NotificationID? = nil
    ) -> Submission {
        let id = id ?? queue.newNotificationID(placedWith: key)
        let record = NotificationRecord(
            id: id, topic: "ops", userID: nil, content: RenderedContent(subject: nil, body: body), createdAt: clock.now,
            deliveries: [DeliveryRecord(channel: "slack", status: .queued, updatedAt: clock.now)])
        return Submission(
            record: record, units: [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: clock.now)],
            idempotency: idempotency.map {
                IdempotencyEntry(key: $0, fingerprint: body, notificationID: id, expiresAt: clock.now.addingTimeInterval(86_400))
            },
            dedupe: dedupe.map {
                IdempotencyEntry(key: $0, fingerprint: "", notificationID: id, expiresAt: clock.now.addingTimeInterval(600))
            })
    }

    /// A key of each partition, found by trying names.
    private func keys(inPartition partition: Int, count: Int = 1, prefix: String = "key") -> [String] {
        var found: [String] = []
        var index = 0
        while found.count < count {
            if Self.map.partition(ofKey: "\(prefix)\(index)") == partition { found.append("\(prefix)\(index)") }
            index += 1
        }
        return found
    }

    private func sent(_ reservation: Reservation) -> DeliveryRecord {
        DeliveryRecord(channel: "slack", status: .sent, attempts: 1, updatedAt: clock.now)
    }

    @Test func notificationsSpreadOverEveryPartitionsTagAndEachIsFoundAndDeliveredOnce() async throws {
        let server = try RedisServer()
        let (queue, redis) = try makeQueue(server)
        var ids: [NotificationID] = []
        for index in 0..<40 {
            let submission = submission(queue, "n\(index)")
            #expect(try await queue.enqueue(submission) == .accepted)
            ids.append(submission.record.id)
        }
        for partition in 0..<4 {
            let records = try await redis.send(RESPCommand("KEYS", "{\(Self.map.prefix(of: partition))}:n:*")).array ?? []
            #expect(records.count > 0, "partition \(partition) holds notifications")
        }
        #expect(try await redis.send(RESPCommand("KEYS", "{herald}:n:*")).array?.isEmpty == true)
        for id in ids { #expect(try await queue.record(for: id)?.content.body.hasPrefix("n") == true) }
        var delivered: [NotificationID] = []
        while let reservation = try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) {
            #expect(try await queue.acknowledge(reservation, recording: sent(reservation)))
            delivered.append(reservation.unit.id.notificationID)
        }
        #expect(delivered.sorted() == ids.sorted())
        #expect(try await queue.depth().isIdle)
        #expect(try await queue.record(for: ids[0])?.deliveries.first?.status == .sent)
    }

    @Test func aDeepPartitionDoesNotStarveAnother() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server)
        let deep = keys(inPartition: 0)[0]
        for index in 0..<200 { _ = try await queue.enqueue(submission(queue, "deep\(index)", placedWith: deep)) }
        let lone = submission(queue, "lone", placedWith: keys(inPartition: 2)[0])
        _ = try await queue.enqueue(lone)
        var reserved = 0
        while let reservation = try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) {
            reserved += 1
            _ = try await queue.acknowledge(reservation, recording: sent(reservation))
            if reservation.unit.id.notificationID == lone.record.id { break }
        }
        // Batch 8: the round's start turns every 2 reserves, so one round of the 4 partitions is 8 reserves.
        #expect(reserved <= 8, "the lone unit came within one round of the partitions, not after the 200 ahead of it")
        let depth = try await queue.depth()
        #expect(depth.ready == 201 - reserved)
    }

    @Test func aReserveWaitingOnAnEmptyQueueTakesWhatArrivesInAnyPartition() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server, realTime: true)
        for partition in 0..<4 {
            let arriving = submission(queue, "late\(partition)", placedWith: keys(inPartition: partition)[0])
            let started = ContinuousClock.now
            async let waited = queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .seconds(10))
            try await Task.sleep(for: .milliseconds(150))
            _ = try await queue.enqueue(arriving)
            let reservation = try #require(try await waited)
            #expect(reservation.unit.id.notificationID == arriving.record.id)
            #expect(ContinuousClock.now - started < .seconds(5), "taken within a few blocking slices, not at the end of the wait")
            _ = try await queue.acknowledge(reservation, recording: sent(reservation))
        }
    }

    @Test func claimsMeetInTheirKeysPartitionAndAnIdempotencyKeyIsFoundWhereverItWasClaimed() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server)
        // A dedupe key and an idempotency key of different partitions: the notification goes with the dedupe key.
        let dedupe = keys(inPartition: 1, prefix: "disk-full@")[0]
        let idempotency = keys(inPartition: 3, prefix: "request-")[0]
        let first = submission(queue, "first", placedWith: dedupe, dedupe: dedupe, idempotency: idempotency)
        #expect(Self.map.partition(of: first.record.id) == 1)
        #expect(try await queue.enqueue(first) == .accepted)
        #expect(try await queue.entry(for: idempotency)?.notificationID == first.record.id, "found through its note")

        let again = submission(queue, "again", placedWith: dedupe, dedupe: dedupe)
        guard case .deduplicated(let held) = try await queue.enqueue(again) else {
            Issue.record("the dedupe key was not met")
            return
        }
        #expect(held.notificationID == first.record.id)
        #expect(try await queue.record(for: again.record.id) == nil)

        let keyed = keys(inPartition: 2, prefix: "solo-")[0]
        let solo = submission(queue, "solo", placedWith: keyed, idempotency: keyed)
        #expect(try await queue.enqueue(solo) == .accepted)
        #expect(try await queue.entry(for: keyed)?.notificationID == solo.record.id)
        guard case .duplicate = try await queue.enqueue(submission(queue, "solo", placedWith: keyed, idempotency: keyed)) else {
            Issue.record("the idempotency key was not met")
            return
        }

        // An id not placed with the key it claims is refused, and nothing is written.
        let stray = try #require((0..<64).map { NotificationID(rawValue: "ntf_stray\($0)") }.first { Self.map.partition(of: $0) != 1 })
        await #expect(throws: HeraldError.self) {
            _ = try await queue.enqueue(submission(queue, "stray", dedupe: dedupe, id: stray))
        }
        #expect(try await queue.record(for: stray) == nil)
    }

    @Test func aWorkerHoldingAUnitOfOnePartitionTakesASuspectOfAnotherOnlyOnceEmptyAndThenNothingElse() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server)
        let suspect = submission(queue, "suspect", placedWith: keys(inPartition: 1)[0])
        _ = try await queue.enqueue(suspect)
        _ = try #require(try await queue.reserve(for: "crashed", lease: .seconds(30), waitingUpTo: .zero))
        let held = submission(queue, "held", placedWith: keys(inPartition: 2)[0])
        _ = try await queue.enqueue(held)
        let busy = try #require(try await queue.reserve(for: "busy", lease: .seconds(60), waitingUpTo: .zero))
        #expect(busy.unit.id.notificationID == held.record.id)
        clock.advance(by: .seconds(30))
        #expect(try await queue.recoverExpiredLeases() == LeaseRecovery(recovered: 1))

        #expect(try await queue.reserve(for: "busy", lease: .seconds(60), waitingUpTo: .zero) == nil, "it holds a unit: the suspect waits")
        #expect(try await queue.acknowledge(busy, recording: sent(busy)))
        let taken = try #require(try await queue.reserve(for: "busy", lease: .seconds(60), waitingUpTo: .zero))
        #expect(taken.unit.id.notificationID == suspect.record.id && taken.unit.isSuspect)

        _ = try await queue.enqueue(submission(queue, "other", placedWith: keys(inPartition: 3)[0]))
        #expect(try await queue.reserve(for: "busy", lease: .seconds(60), waitingUpTo: .zero) == nil, "it holds a suspect: nothing else")
        #expect(try await queue.reserve(for: "free", lease: .seconds(60), waitingUpTo: .zero) != nil, "another worker takes it")
    }

    @Test func withReplicaAcksAnIdempotencyNoteNoReplicaConfirmsAcceptsNothing() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        var configuration = RedisDeliveryQueue.Configuration(maxBlockingWait: .milliseconds(200), batch: 4, acceptBatch: 4)
        configuration.minReplicasAck = 1
        configuration.replicaAckTimeout = .milliseconds(100)
        let manual = clock
        let queue = PartitionedRedisQueue(
            map: Self.map, clients: Array(repeating: client, count: 4), clock: clock, configuration: configuration,
            serverTimeOverride: { manual.now })
        let dedupe = keys(inPartition: 1, prefix: "disk-full@")[0]
        let submission = submission(
            queue, "first", placedWith: dedupe, dedupe: dedupe, idempotency: keys(inPartition: 3, prefix: "request-")[0])
        await #expect(throws: HeraldError(.queueUnavailable, "", field: "queue.min_replicas_ack")) {
            _ = try await queue.enqueue(submission)
        }
        #expect(try await queue.record(for: submission.record.id) == nil, "the note came first: nothing was accepted")
    }

    @Test func whileAWorkerHoldsASuspectNoOtherLoopOfItKeepsWhatAPartitionHandsIt() throws {
        let holdings = WorkerHoldings()
        let id = DeliveryID(notificationID: "ntf_s", channel: "slack")
        let suspect = Reservation(
            unit: DeliveryUnit(id: id, isSuspect: true, readySince: clock.now), token: "s", worker: "w", expiresAt: clock.now)
        let other = Reservation(
            unit: DeliveryUnit(id: DeliveryID(notificationID: "ntf_u", channel: "slack"), readySince: clock.now), token: "u",
            worker: "w", expiresAt: clock.now)
        #expect(holdings.take(suspect))
        #expect(!holdings.take(other), "another loop's BLMOVE handed it over meanwhile: given back")
        holdings.drop(["s"], of: "w")
        #expect(holdings.take(other))
        #expect(!holdings.take(suspect), "a suspect beside a unit: given back, and the worker empties")
        let third = Reservation(
            unit: DeliveryUnit(id: DeliveryID(notificationID: "ntf_t", channel: "slack"), readySince: clock.now), token: "t",
            worker: "w", expiresAt: clock.now)
        #expect(!holdings.take(third), "emptying: nothing more")
        holdings.drop(["u"], of: "w")
        #expect(holdings.take(suspect), "empty: the suspect")
    }

    @Test func aPartitionOutOfReachLeavesTheOthersServed() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        var unreachable = try RedisConfiguration(url: "redis://127.0.0.1:\(try freeLoopbackPort())/0")
        unreachable.connectTimeout = .milliseconds(200)
        let manual = clock
        let queue = PartitionedRedisQueue(
            map: Self.map, clients: [client, client, RedisClient(configuration: unreachable), client], clock: clock,
            configuration: RedisDeliveryQueue.Configuration(maxBlockingWait: .milliseconds(200), batch: 4, acceptBatch: 4),
            blockingSlice: .milliseconds(100), serverTimeOverride: { manual.now })
        var ids: [NotificationID] = []
        for partition in [0, 1, 3] {
            let submission = submission(queue, "p\(partition)", placedWith: keys(inPartition: partition)[0])
            _ = try await queue.enqueue(submission)
            ids.append(submission.record.id)
        }
        var taken: [NotificationID] = []
        for _ in 0..<3 {
            let reservation = try #require(try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
            taken.append(reservation.unit.id.notificationID)
            _ = try await queue.acknowledge(reservation, recording: sent(reservation))
        }
        #expect(Set(taken) == Set(ids))
        await #expect(throws: (any Error).self, "the heartbeat reports the partition it could not reach") {
            try await queue.renewLeases(of: "w1", for: .seconds(30))
        }
        #expect(try await client.integer(RESPCommand("EXISTS", "{\(Self.map.prefix(of: 3))}:workers")) == 1, "the others renewed")
    }

    @Test func listsAndDeadLettersMergeNewestFirstAcrossPartitionsWithoutGapsOrRepeats() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server)
        var ids: [String] = []
        for index in 0..<30 {
            let submission = submission(queue, "n\(index)")
            _ = try await queue.enqueue(submission)
            ids.append(submission.record.id.rawValue)
            // Every second one in the same millisecond as the one before: ties across partitions.
            if index % 2 == 1 { clock.advance(by: .milliseconds(10)) }
        }
        for limit in [1, 4, 7, 30] {
            var listed: [String] = []
            var cursor: String?
            repeat {
                let page = try await queue.notifications(matching: NotificationFilter(), limit: limit, after: cursor)
                #expect(page.records.count <= limit)
                listed += page.records.map(\.id.rawValue)
                cursor = page.nextCursor
            } while cursor != nil && listed.count <= 60
            #expect(listed.count == 30 && Set(listed) == Set(ids), "limit \(limit)")
            let times = try await withThrowingTaskGroup(of: Date.self) { group in
                for id in listed { group.addTask { try #require(try await queue.record(for: NotificationID(rawValue: id))).createdAt } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(times.count == 30)
        }
        let firstPage = try await queue.notifications(matching: NotificationFilter(), limit: 30, after: nil).records
        #expect(firstPage.map(\.createdAt) == firstPage.map(\.createdAt).sorted(by: >), "newest first")

        var died: [String] = []
        while let reservation = try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) {
            var failed = sent(reservation)
            failed.status = .failed
            _ = try await queue.deadLetter(reservation, reason: "gone", recording: failed)
            died.append(reservation.unit.id.notificationID.rawValue)
        }
        #expect(died.count == 30)
        for limit in [1, 7, 30] {
            var letters: [String] = []
            var cursor: String?
            repeat {
                let page = try await queue.deadLetterPage(channel: limit == 7 ? "slack" : nil, limit: limit, after: cursor)
                letters += page.letters.map(\.unit.id.notificationID.rawValue)
                cursor = page.nextCursor
            } while cursor != nil && letters.count <= 60
            #expect(letters.count == 30 && Set(letters) == Set(died), "limit \(limit): every letter once")
        }
        #expect(try await queue.depth().dead == 30)
        let removed = try await queue.removeDeadLetters(of: died.prefix(10).map {
            DeliveryID(notificationID: NotificationID(rawValue: $0), channel: "slack")
        })
        #expect(removed == 10)
        #expect(try await queue.depth().dead == 20)
    }

    @Test func theDeadLetterBoundIsTheDeploymentsSharedAmongThePartitions() async throws {
        let server = try RedisServer()
        let (queue, _) = try makeQueue(server, deadLetterLimit: 8)
        for index in 0..<40 { _ = try await queue.enqueue(submission(queue, "n\(index)")) }
        while let reservation = try await queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) {
            _ = try await queue.deadLetter(reservation, reason: "gone", recording: nil)
        }
        let dead = try await queue.depth().dead
        #expect(dead > 0 && dead <= 8, "each of the 4 partitions keeps 2")
    }

    @Test(arguments: [2, 3, 12, 1024])
    func partitionTagsFallInEqualRangesOfTheClustersSlots(count: Int) {
        let map = RedisPartitionMap(prefix: "herald", count: count)
        let slots = (0..<count).map { ClusterSlot.of("{\(map.prefix(of: $0))}:ready") }
        for (index, slot) in slots.enumerated() {
            #expect(slot >= index * 16384 / count && slot < (index + 1) * 16384 / count)
        }
        #expect(Set((0..<count).map(map.prefix(of:))).count == count)
        #expect(RedisPartitionMap(prefix: "herald", count: 1).prefix(of: 0) == "herald", "one partition: the old layout")
    }

    @Test func everyProcessMustUseTheSameNumberOfPartitions() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        try await RedisPartitionLayout(client: client, map: Self.map).verify()
        try await RedisPartitionLayout(client: client, map: Self.map).verify()
        await #expect(throws: HeraldError(.invalidConfiguration, "", field: "queue.partitions")) {
            try await RedisPartitionLayout(client: client, map: RedisPartitionMap(prefix: "herald", count: 2)).verify()
        }
        try await RedisPartitionLayout(client: client, map: RedisPartitionMap(prefix: "other", count: 2)).verify()

        // A deployment from before partitions recorded nothing, but its queue is there under the one tag.
        _ = try await client.send(RESPCommand("LPUSH", "{old}:ready", "unit"))
        await #expect(throws: HeraldError(.invalidConfiguration, "", field: "queue.partitions")) {
            try await RedisPartitionLayout(client: client, map: RedisPartitionMap(prefix: "old", count: 4)).verify()
        }
        try await RedisPartitionLayout(client: client, map: RedisPartitionMap(prefix: "old", count: 1)).verify()
    }
}
