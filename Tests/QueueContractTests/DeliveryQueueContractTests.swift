import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTesting
import Testing

/// The behaviour every ``DeliveryQueue`` must have, run against each implementation.
@Suite(.serialized) struct DeliveryQueueContractTests {
    let clock = ManualClock()

    private func submission(_ name: String, channels: [ChannelName] = ["slack"], key: String? = nil) -> Submission {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: "sales", userID: nil, content: RenderedContent(subject: nil, body: name),
            createdAt: clock.now,
            deliveries: channels.map { DeliveryRecord(channel: $0, status: .queued, updatedAt: clock.now) })
        return Submission(
            record: record,
            units: channels.map { DeliveryUnit(id: DeliveryID(notificationID: id, channel: $0), readySince: clock.now) },
            idempotency: key.map {
                IdempotencyEntry(key: $0, fingerprint: name, notificationID: id, expiresAt: clock.now.addingTimeInterval(86400))
            })
    }

    private func reserve(_ queue: any DeliveryQueue, as worker: WorkerID = "w1") async throws -> Reservation? {
        try await queue.reserve(for: worker, lease: .seconds(30), waitingUpTo: .zero)
    }

    private func sent(_ reservation: Reservation) -> DeliveryRecord {
        DeliveryRecord(channel: reservation.unit.id.channel, status: .sent, attempts: 1, updatedAt: clock.now)
    }

    @Test(arguments: QueueImplementation.allCases)
    func enqueueStoresTheRecordAndMakesUnitsReadyInOrder(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        #expect(try await subject.queue.enqueue(submission("a", channels: ["slack", "email"])) == .accepted)
        #expect(try await subject.queue.enqueue(submission("b")) == .accepted)

        #expect(try await subject.store.record(for: "ntf_a")?.deliveries.count == 2)
        var order: [String] = []
        while let reservation = try await reserve(subject.queue) { order.append(reservation.unit.id.description) }
        #expect(order == ["ntf_a.slack", "ntf_a.email", "ntf_b.slack"])
    }

    @Test(arguments: QueueImplementation.allCases)
    func aWorkerCanGiveBackLeasesItLostTrackOf(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        _ = try await subject.queue.enqueue(submission("b"))
        let lost = try #require(try await reserve(subject.queue, as: "w1"))
        let other = try #require(try await reserve(subject.queue, as: "w2"))
        #expect(try await subject.queue.leasedTokens(of: "w1") == [lost.token])
        #expect(try await subject.queue.releaseLeases(of: "w1", tokens: [lost.token, other.token]) == 1)
        #expect(try await subject.queue.leasedTokens(of: "w1").isEmpty)
        #expect(try await subject.queue.acknowledge(lost, recording: nil) == false)
        #expect(try await reserve(subject.queue, as: "w3")?.unit.id == lost.unit.id)
        #expect(try await subject.queue.leasedTokens(of: "w2") == [other.token])
    }

    @Test(arguments: QueueImplementation.allCases)
    func aPrefetchedRecordIsTheStoredRecord(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a", channels: ["slack", "email"]))
        let reservation = try #require(try await reserve(subject.queue))
        if let prefetched = reservation.record {
            #expect(prefetched == (try await subject.store.record(for: "ntf_a")))
        }
        if implementation == .redis { #expect(reservation.record != nil) }
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func aClaimedIdempotencyKeyWritesNothingTheSecondTime(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a", key: "k"))
        let outcome = try await subject.queue.enqueue(submission("b", key: "k"))
        guard case .duplicate(let existing) = outcome else { Issue.record("expected duplicate, got \(outcome)"); return }
        #expect(existing.notificationID == "ntf_a")
        #expect(try await subject.store.record(for: "ntf_b") == nil)
        #expect(try await subject.queue.depth().ready == 1)
        #expect(try await subject.idempotency.entry(for: "k")?.notificationID == "ntf_a")
    }

    @Test(arguments: QueueImplementation.allCases)
    func aReservedUnitIsInvisibleUntilItsLeaseExpiresAndIsRecovered(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        let first = try #require(try await reserve(subject.queue))
        #expect(try await reserve(subject.queue) == nil)
        #expect(try await subject.queue.depth().inFlight == 1)

        clock.advance(by: .seconds(29))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery())
        clock.advance(by: .seconds(1))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(recovered: 1))

        let second = try #require(try await reserve(subject.queue, as: "w2"))
        #expect(second.unit.id == first.unit.id)
        #expect(second.unit.recoveries == 1)
        #expect(second.token != first.token)
    }

    @Test(arguments: QueueImplementation.allCases)
    func renewingAWorkersLeasesKeepsItsUnitsFromRecovery(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        _ = try await subject.queue.enqueue(submission("b"))
        _ = try #require(try await reserve(subject.queue, as: "alive"))
        _ = try #require(try await reserve(subject.queue, as: "crashed"))
        clock.advance(by: .seconds(20))
        try await subject.queue.renewLeases(of: "alive", for: .seconds(30))
        clock.advance(by: .seconds(10))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(recovered: 1))
        #expect(try await reserve(subject.queue)?.unit.id.notificationID == "ntf_b")
    }

    @Test(arguments: QueueImplementation.allCases)
    func aStaleWorkerCannotSettleAReclaimedUnit(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        let stale = try #require(try await reserve(subject.queue))
        clock.advance(by: .seconds(30))
        _ = try await subject.queue.recoverExpiredLeases()
        let current = try #require(try await reserve(subject.queue, as: "w2"))

        #expect(try await subject.queue.acknowledge(stale, recording: sent(stale)) == false)
        #expect(try await subject.queue.deadLetter(stale, reason: "x", recording: nil) == false)
        #expect(try await subject.queue.release(stale) == false)
        #expect(try await subject.queue.scheduleRetry(stale, as: stale.unit, at: clock.now, recording: sent(stale)) == false)
        #expect(try await subject.store.record(for: "ntf_a")?.deliveries[0].status == .queued)
        #expect(try await subject.queue.depth() == QueueDepth(inFlight: 1))

        #expect(try await subject.queue.acknowledge(current, recording: sent(current)))
        #expect(try await subject.store.record(for: "ntf_a")?.deliveries[0].status == .sent)
        #expect(try await subject.queue.depth().isIdle)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aUnitThatKeepsCrashingWorkersIsDeadLetteredAsAPoisonPill(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock, maxRecoveries: 2)
        _ = try await subject.queue.enqueue(submission("a"))
        for _ in 0..<2 {
            _ = try #require(try await reserve(subject.queue))
            clock.advance(by: .seconds(30))
            #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(recovered: 1))
        }
        _ = try #require(try await reserve(subject.queue))
        clock.advance(by: .seconds(30))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(deadLettered: 1))

        #expect(try await reserve(subject.queue) == nil)
        let dead = try await subject.queue.deadLetters(limit: 10)
        #expect(dead.count == 1)
        #expect(dead.first?.reason.contains("poison pill") == true)
        let delivery = try #require(try await subject.store.record(for: "ntf_a")?.deliveries.first)
        #expect(delivery.status == .failed)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aScheduledRetryBecomesReadyAtItsTimeNotBefore(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        let reservation = try #require(try await reserve(subject.queue))
        var unit = reservation.unit
        unit.attempts = 1
        var delivery = sent(reservation)
        delivery.status = .retrying
        let due = clock.now.addingTimeInterval(10)
        #expect(try await subject.queue.scheduleRetry(reservation, as: unit, at: due, recording: delivery))
        #expect(try await subject.store.record(for: "ntf_a")?.deliveries[0].status == .retrying)
        let depth = try await subject.queue.depth()
        #expect(depth.scheduled == 1 && depth.ready == 0 && depth.inFlight == 0)
        #expect(abs(try #require(depth.nextScheduledAt).timeIntervalSince(due)) < 0.5)

        clock.advance(by: .seconds(9))
        #expect(try await reserve(subject.queue) == nil)
        clock.advance(by: .seconds(1))
        let retried = try #require(try await reserve(subject.queue))
        #expect(retried.unit.attempts == 1)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aReleasedUnitGoesBackToTheHeadOfTheQueue(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a"))
        _ = try await subject.queue.enqueue(submission("b"))
        let first = try #require(try await reserve(subject.queue))
        #expect(try await subject.queue.release(first))
        #expect(try await reserve(subject.queue)?.unit.id == first.unit.id)
    }

    @Test(arguments: QueueImplementation.allCases)
    func requeueMakesFailedDeliveriesReadyAndRemovesTheirDeadLetters(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("a", channels: ["slack", "email"]))
        let slack = try #require(try await reserve(subject.queue))
        let email = try #require(try await reserve(subject.queue))
        _ = try await subject.queue.acknowledge(slack, recording: sent(slack))
        var failed = sent(email)
        failed.status = .failed
        _ = try await subject.queue.deadLetter(email, reason: "550 mailbox unavailable", recording: failed)
        #expect(try await subject.queue.depth().dead == 1)

        let slackID = DeliveryID(notificationID: "ntf_a", channel: "slack")
        let emailID = DeliveryID(notificationID: "ntf_a", channel: "email")
        #expect(try await subject.queue.requeue("ntf_a", deliveries: [slackID, emailID]) == [emailID])
        #expect(try await subject.queue.depth() == QueueDepth(ready: 1, oldestReadySince: clock.now))
        #expect(try await subject.queue.deadLetters(limit: 10).isEmpty)
        let again = try #require(try await reserve(subject.queue))
        #expect(again.unit.id.channel == "email")
        #expect(again.unit.attempts == 0)
        let record = try #require(try await subject.store.record(for: "ntf_a"))
        #expect(record.deliveries.map(\.status) == [.sent, .queued])
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func deadLettersAreBoundedByCount(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock, deadLetterLimit: 3)
        for index in 0..<5 {
            _ = try await subject.queue.enqueue(submission("n\(index)"))
            let reservation = try #require(try await reserve(subject.queue))
            _ = try await subject.queue.deadLetter(reservation, reason: "r\(index)", recording: nil)
        }
        #expect(try await subject.queue.deadLetters(limit: 10).map(\.reason) == ["r4", "r3", "r2"])
    }

    @Test(arguments: QueueImplementation.allCases)
    func deadLettersAreBoundedByAge(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        _ = try await subject.queue.enqueue(submission("old"))
        _ = try await subject.queue.deadLetter(try #require(try await reserve(subject.queue)), reason: "old", recording: nil)
        clock.advance(by: .seconds(7 * 24 * 3600 + 1))
        _ = try await subject.queue.recoverExpiredLeases()
        #expect(try await subject.queue.deadLetters(limit: 10).isEmpty)
    }

    @Test(.timeLimit(.minutes(1)), arguments: QueueImplementation.allCases)
    func aWaitingReserveWakesWhenWorkArrives(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: SystemClock())
        let waiting = Task { try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await subject.queue.enqueue(submission("a"))
        #expect(try await waiting.value?.unit.id.notificationID == "ntf_a")
    }

    @Test(.timeLimit(.minutes(1)), arguments: QueueImplementation.allCases)
    func aWaitingReserveGivesUpAtItsDeadlineOrOnCancellation(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: SystemClock())
        let start = ContinuousClock.now
        #expect(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .milliseconds(300)) == nil)
        #expect(ContinuousClock.now - start >= .milliseconds(250))

        let cancelled = Task { try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        cancelled.cancel()
        #expect(try await cancelled.value == nil)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test(.timeLimit(.minutes(1)), arguments: QueueImplementation.allCases)
    func aWaitingReserveWakesWhenARetryFallsDue(_ implementation: QueueImplementation) async throws {
        let system = SystemClock()
        let subject = try implementation.make(clock: system)
        _ = try await subject.queue.enqueue(submission("a"))
        let reservation = try #require(try await reserve(subject.queue))
        _ = try await subject.queue.scheduleRetry(
            reservation, as: reservation.unit, at: system.now.addingTimeInterval(0.3), recording: sent(reservation))
        let start = ContinuousClock.now
        let unit = try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .seconds(20))
        #expect(unit?.unit.id.notificationID == "ntf_a")
        // Well before the 20 s the reserve could wait; generous, as the whole suite shares two cores.
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func unitsHeldBesideAPoisonPillAreNeverDeadLettered(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock, maxRecoveries: 2)
        for name in ["pill", "innocent1", "innocent2"] { _ = try await subject.queue.enqueue(submission(name)) }
        for _ in 0..<3 { _ = try #require(try await reserve(subject.queue, as: "crashing")) }
        clock.advance(by: .seconds(30))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(recovered: 3))

        // Suspects go one at a time to a worker holding nothing: the innocent ones are delivered, the pill
        // takes its worker down each time and alone carries the blame.
        var crashes = 0
        var delivered: [NotificationID] = []
        for round in 0..<12 {
            let worker = WorkerID(rawValue: "w\(round)")
            guard let suspect = try await reserve(subject.queue, as: worker) else { break }
            #expect(suspect.unit.isSuspect)
            #expect(try await reserve(subject.queue, as: worker) == nil)
            if suspect.unit.id.notificationID == "ntf_pill" {
                crashes += 1
                clock.advance(by: .seconds(30))
                _ = try await subject.queue.recoverExpiredLeases()
            } else {
                #expect(try await subject.queue.acknowledge(suspect, recording: sent(suspect)))
                delivered.append(suspect.unit.id.notificationID)
            }
        }
        #expect(Set(delivered) == ["ntf_innocent1", "ntf_innocent2"])
        #expect(crashes == 3)
        #expect(try await subject.queue.deadLetters(limit: 10).map(\.unit.id.notificationID) == ["ntf_pill"])
        #expect(try await subject.store.record(for: "ntf_innocent1")?.deliveries.first?.status == .sent)
        #expect(try await subject.queue.depth().isIdle)
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func aWorkerWaitsToEmptyBeforeItTakesASuspect(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        for name in ["a", "b", "c"] { _ = try await subject.queue.enqueue(submission(name)) }
        _ = try #require(try await reserve(subject.queue, as: "crashed"))
        let busy = try #require(try await reserve(subject.queue, as: "busy"))
        clock.advance(by: .seconds(20))
        try await subject.queue.renewLeases(of: "busy", for: .seconds(30))
        clock.advance(by: .seconds(10))
        #expect(try await subject.queue.recoverExpiredLeases() == LeaseRecovery(recovered: 1))

        #expect(try await reserve(subject.queue, as: "busy") == nil)
        #expect(try await subject.queue.acknowledge(busy, recording: sent(busy)))
        let suspect = try #require(try await reserve(subject.queue, as: "busy"))
        #expect(suspect.unit.id.notificationID == "ntf_a" && suspect.unit.isSuspect)
        #expect(suspect.unit.recoveries == 1)
    }

    @Test(arguments: QueueImplementation.unpartitioned)
    func requeueTakesOutOnlyTheDeadLettersOfItsNotification(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        for index in 0..<50 {
            _ = try await subject.queue.enqueue(submission("n\(index)"))
            let reservation = try #require(try await reserve(subject.queue))
            var failed = sent(reservation)
            failed.status = .failed
            _ = try await subject.queue.deadLetter(reservation, reason: "r\(index)", recording: failed)
        }
        let target = DeliveryID(notificationID: "ntf_n17", channel: "slack")
        #expect(try await subject.queue.requeue("ntf_n17", deliveries: [target]) == [target])
        let left = try await subject.queue.deadLetters(limit: 100)
        #expect(left.count == 49)
        #expect(!left.contains { $0.unit.id == target })
        #expect(left.first?.reason == "r49")
    }

    @Test(arguments: QueueImplementation.allCases)
    func aRecordOutlivesItsWorkAndExpiresAfterItsLastChange(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock, retention: .seconds(3600))
        _ = try await subject.queue.enqueue(submission("a"))
        clock.advance(by: .seconds(2 * 24 * 3600))
        #expect(try await expiry(of: "ntf_a", in: subject) == nil)
        #expect(try await subject.store.record(for: "ntf_a") != nil)

        let reservation = try #require(try await reserve(subject.queue))
        #expect(try await subject.queue.scheduleRetry(
            reservation, as: reservation.unit, at: clock.now.addingTimeInterval(7200), recording: sent(reservation)
                .with(status: .retrying)))
        #expect(try await expiry(of: "ntf_a", in: subject) == nil)
        clock.advance(by: .seconds(7200))
        let again = try #require(try await reserve(subject.queue))
        #expect(try await subject.queue.acknowledge(again, recording: sent(again)))

        if let left = try await expiry(of: "ntf_a", in: subject) {
            #expect(left > .seconds(3500) && left <= .seconds(3600))
        } else {
            clock.advance(by: .seconds(3599))
            #expect(try await subject.store.record(for: "ntf_a") != nil)
            clock.advance(by: .seconds(2))
            #expect(try await subject.store.record(for: "ntf_a") == nil)
        }
    }

    /// The time to live of a record on Redis (nil when it has none); always nil in memory, which the caller
    /// checks through the store instead.
    private func expiry(of id: String, in subject: QueueUnderTest) async throws -> Duration? {
        guard let redis = subject.redis else { return nil }
        let milliseconds = try await redis.integer(RESPCommand("PTTL", subject.recordKey(id)))
        return milliseconds >= 0 ? .milliseconds(milliseconds) : nil
    }
}

extension DeliveryRecord {
    fileprivate func with(status: DeliveryStatus) -> DeliveryRecord {
        var copy = self
        copy.status = status
        return copy
    }
}
