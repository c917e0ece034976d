package import Foundation
package import HeraldApplication
package import HeraldDomain

/// The distributed queue: notifications, units, leases and dead letters in Redis, shared by every
/// API and worker process. Acceptance writes the record (read by ``RedisNotificationStore``) and the
/// idempotency key (read by ``RedisIdempotencyStore``) in the same atomic script as the units.
///
/// Reserving moves units from the ready list into the worker's processing list (by script, or with `BLMOVE`
/// when it waits); the worker's lease is its heartbeat in `{p}:workers`. Concurrent accepts, reserves of one
/// worker and settles are each coalesced into one script call per turn, up to ``Configuration/batch`` at a
/// time. See `docs/operations.md` for the guarantees.
package final class RedisDeliveryQueue: DeliveryQueue, DigestIntake, DeadLetterAdministration, QueueStatisticsSource, ThroughputSource {
    private let client: RedisClient
    private let clock: any WallClock
    private let keys: RedisKeys
    private let codec = RedisCodec()
    private let serverClock: RedisServerClock
    private let serverTimeOverride: (@Sendable () -> Date)?
    private let runner: QueueScriptRunner
    private let accepts: RedisAcceptBatcher
    private let reserves: RedisReserveBatcher
    private let settles: RedisSettleBatcher
    package let configuration: Configuration

    /// - Parameter serverTimeOverride: the time the scripts use instead of Redis's `TIME`; only for tests that
    ///   move time by hand with a `ManualClock`. Nil in production, so every process reads Redis's one clock.
    package init(
        client: RedisClient, clock: any WallClock = SystemClock(), configuration: Configuration = Configuration(),
        serverTimeOverride: (@Sendable () -> Date)? = nil
    ) {
        self.serverTimeOverride = serverTimeOverride
        self.client = client
        self.clock = clock
        self.configuration = configuration
        self.keys = RedisKeys(prefix: configuration.keyPrefix)
        self.serverClock = RedisServerClock(client: client)
        self.runner = QueueScriptRunner(client: client, serverTimeOverride: serverTimeOverride)
        self.accepts = RedisAcceptBatcher(
            runner: runner, keys: keys, limit: configuration.acceptBatch, replicas: configuration.minReplicasAck,
            replicaTimeout: configuration.replicaAckTimeout)
        self.reserves = RedisReserveBatcher(runner: runner, keys: keys, limit: configuration.batch)
        self.settles = RedisSettleBatcher(runner: runner, keys: keys, configuration: configuration)
    }

    // MARK: - Accepting

    /// The field of the `queue_unavailable` an accept not confirmed by enough replicas fails with: the setting
    /// that asked for them. Such an accept was written on the master, so it is not reported as accepted.
    package static let replicaAckField = "queue.min_replicas_ack"

    /// Writes the notification, its idempotency key and its units in one script. A reply lost to a timeout
    /// or a dropped connection is not taken as "nothing accepted": the script is repeated (it is idempotent on
    /// the record) until Redis answers or ``Configuration/acceptTimeout`` has passed, and every attempt carries a
    /// deadline in Redis's clock past which Redis refuses it, so once this throws, no delayed attempt can still
    /// land. (If Redis applied an attempt and every answer after it was lost, the caller hears an error for a
    /// notification that exists: the one window `docs/operations.md` names for accepts.)
    package func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        return try await QueueUnavailable.translating {
            let record = submission.record
            let prepared = try acceptArguments(submission)
            let idempotencyKey = keys.idempotency(submission.idempotency?.key ?? "")
            let recordKey = keys.record(record.id.rawValue)
            // A digest's claim takes the dedupe slot of the script (a submission never has both).
            let dedupeKey = submission.digest.map { keys.digest($0.key) } ?? keys.dedupe(submission.dedupe?.key ?? "")
            let window = configuration.acceptTimeout
            let started = ContinuousClock.now
            // One deadline, in Redis's clock, for every attempt: once it has passed, Redis refuses them all.
            var deadline: (redis: Int64, passedLocally: ContinuousClock.Instant)?
            var mayHaveLanded = false
            var delay = Duration.milliseconds(50)
            var lastError: any Error = RedisError(.timedOut, "the accept got no answer")
            var unconfirmed: ReplicasUnconfirmed?
            while !Task.isCancelled {
                do {
                    if deadline == nil {
                        let estimate: (milliseconds: Int64, uncertainty: Duration)
                        if let serverTimeOverride {
                            estimate = (RedisCodec.milliseconds(serverTimeOverride()), .zero)
                        } else {
                            estimate = try await serverClock.milliseconds(at: Date())
                        }
                        deadline = (
                            estimate.milliseconds + window.wholeMilliseconds,
                            .now + window + estimate.uncertainty + .milliseconds(100)
                        )
                    }
                    let reply = try await accepts.accept(RedisAcceptBatcher.Request(
                        idempotencyKey: idempotencyKey, recordKey: recordKey, dedupeKey: dedupeKey,
                        arguments: prepared.head + [String(deadline!.redis)] + prepared.tail))
                    if let outcome = try acceptOutcome(reply) { return outcome }
                    lastError = RedisError(.timedOut, "the accept reached Redis after its deadline; nothing was written")
                    break
                } catch let error as RedisError where error.code == .server {
                    lastError = error
                    break
                } catch let error as ReplicasUnconfirmed {
                    // Applied on the master, not yet on enough replicas: repeating it (idempotent on the record)
                    // waits for them again, until the window ends.
                    unconfirmed = error
                    lastError = error
                } catch {
                    mayHaveLanded = mayHaveLanded || deadline != nil
                    lastError = error
                }
                guard started.duration(to: .now) < window else { break }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .milliseconds(500))
            }
            if let unconfirmed, lastError is ReplicasUnconfirmed {
                throw HeraldError(
                    .queueUnavailable,
                    "the accept was not confirmed by \(configuration.minReplicasAck) replica(s) in time (\(unconfirmed)); "
                        + "retry with the same Idempotency-Key",
                    field: Self.replicaAckField)
            }
            // An attempt whose answer was lost may still be on its way: answer only once Redis would refuse it.
            if mayHaveLanded, let deadline, ContinuousClock.now < deadline.passedLocally {
                try await Task.sleep(until: deadline.passedLocally, clock: .continuous)
            }
            try Task.checkCancellation()
            throw lastError
        }
    }

    /// The accept script's arguments before and after the deadline.
    private func acceptArguments(_ submission: Submission) throws -> (head: [String], tail: [String]) {
        let record = submission.record
        let now = clock.now
        var fields = [
            "meta", codec.encode(RedisCodec.RecordMeta(
                id: record.id, topic: record.topic, userID: record.userID, content: record.content,
                createdAt: record.createdAt, scheduledFor: record.scheduledFor)),
            "order", codec.encode(deliveryKeys: record.deliveries.map(\.key)),
            "open", String(record.deliveries.count { $0.status.isOpen }),
        ]
        for delivery in record.deliveries {
            fields += ["d:\(delivery.key)", codec.encode(delivery)]
        }
        if let digest = record.digest { fields += ["digest", digest.json.jsonText] }
        if !record.fallbackSteps.isEmpty {
            fields += ["steps", JSONValue.array(record.fallbackSteps.map { .array($0.map(JSONValue.string)) }).jsonText]
            for unit in submission.standby { fields += ["u:\(unit.id.key)", codec.encode(unit)] }
        }
        let claim = submission.idempotency
        let head = [
            claim == nil ? "0" : "1",
            try claim.map { try codec.encode($0) } ?? "",
            String(max(1, claim.map { RedisCodec.milliseconds($0.expiresAt) - RedisCodec.milliseconds(now) } ?? 1)),
            String(configuration.retention.wholeMilliseconds),
            String(max(0, submission.readyAt.map { RedisCodec.milliseconds($0) - RedisCodec.milliseconds(now) } ?? 0)),
        ]
        let dedupe = submission.dedupe ?? submission.digest
        let dedupeWindow = dedupe.map { RedisCodec.milliseconds($0.expiresAt) - RedisCodec.milliseconds(now) } ?? 1
        let tail = [
            record.isFinished ? "1" : "0", dedupe == nil ? "0" : "1", try dedupe.map { try codec.encode($0) } ?? "",
            String(max(1, dedupeWindow)), String(fields.count / 2),
        ] + fields
            + [String(RedisCodec.milliseconds(record.createdAt)), record.id.rawValue] + listIndexes(of: record)
            + submission.units.map { codec.encode($0) }
        return (head, tail)
    }

    /// The count and keys of the list indexes a record is filed under: all, its topic's, its user's.
    private func listIndexes(of record: NotificationRecord) -> [String] {
        var indexes = [keys.listIndex]
        if let topic = record.topic { indexes.append(keys.listIndex(topic: topic.rawValue)) }
        if let user = record.userID { indexes.append(keys.listIndex(user: user.rawValue)) }
        return [String(indexes.count)] + indexes
    }

    /// The outcome an accept reply stands for; nil when Redis refused it as past its deadline.
    private func acceptOutcome(_ reply: RESPValue) throws -> SubmissionOutcome? {
        if let elements = reply.array, elements.first?.string == "duplicate", let entry = elements.last?.string {
            return .duplicate(try codec.decode(IdempotencyEntry.self, from: entry))
        }
        if let elements = reply.array, elements.first?.string == "deduplicated", let entry = elements.last?.string {
            return .deduplicated(try codec.decode(IdempotencyEntry.self, from: entry))
        }
        switch reply.string {
        case "accepted": return .accepted
        case "expired": return nil
        default: throw RedisError(.unexpectedReply, "accept returned \(reply)")
        }
    }

    // MARK: - Reserving

    package func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    {
        return try await QueueUnavailable.translating {
            let deadline = clock.now.adding(wait)
            let processing = keys.processing(worker.rawValue)
            while true {
                let (nextDue, redisNow, isBlocked): (String?, Int64?, Bool)
                let answer = try await reserves.reserve(for: worker.rawValue, lease: lease)
                // The lease began in the reserve script (a unit `BLMOVE` takes later shares it).
                let expiresAt = clock.now.adding(lease)
                switch answer {
                case .unit(let payload, let recordHash):
                    guard let reserved = try await reservation(of: payload, record: recordHash, worker: worker, expiresAt: expiresAt)
                    else { continue }
                    return try await handOver(reserved)
                case .none(let due, let now, let blocked):
                    (nextDue, redisNow, isBlocked) = (due, now, blocked)
                }
                let remaining = deadline.timeIntervalSince(clock.now)
                guard remaining > 0, !Task.isCancelled else { return nil }
                if isBlocked {
                    // Isolation: this worker holds a suspect, or must empty before it takes one. Nothing may be
                    // moved into its list meanwhile, so it polls instead of blocking on the ready list.
                    try? await Task.sleep(for: min(.milliseconds(Int64(remaining * 1000)), configuration.isolationPoll))
                    continue
                }
                var block = min(remaining, configuration.maxBlockingWait.timeInterval)
                if let nextDue = nextDue.flatMap(Double.init), let redisNow {
                    block = min(block, (nextDue - Double(redisNow)) / 1000)
                }
                block = max(block, 0.01)
                let moved: RESPValue
                do {
                    moved = try await client.sendBlocking(
                        RESPCommand("BLMOVE", keys.ready, processing, "RIGHT", "LEFT", String(format: "%.3f", block)),
                        serverWait: .milliseconds(Int64(block * 1000)))
                } catch where Task.isCancelled {
                    // A wait cut short by cancellation (even while its connection was still opening) took nothing.
                    return nil
                }
                if let payload = moved.string {
                    let kept = try await run(
                        RedisQueueScripts.claimMoved, keys: [processing, keys.isolation, keys.ready],
                        arguments: [worker.rawValue, payload])
                    guard kept.integer == 1 else { continue }
                    guard let reserved = try await readable(payload, worker: worker, expiresAt: expiresAt) else { continue }
                    return try await handOver(reserved)
                }
            }
        }
    }

    /// The reservation of a unit a reserve script took, with its record; nil when either cannot be read (the
    /// unit is then dead-lettered instead of coming back forever).
    private func reservation(of payload: String, record: RESPValue, worker: WorkerID, expiresAt: Date) async throws
        -> Reservation?
    {
        guard var reserved = try await readable(payload, worker: worker, expiresAt: expiresAt) else { return nil }
        do {
            reserved.record = try codec.record(fromHash: record, id: reserved.unit.id.notificationID)
        } catch {
            _ = try await deadLetter(reserved, reason: "the notification record cannot be read: \(error)", recording: nil)
            return nil
        }
        return reserved
    }

    /// Returns the reservation, unless the caller was cancelled meanwhile: then the unit goes back to the
    /// head of the ready list at once instead of waiting for its lease to expire.
    private func handOver(_ reservation: Reservation) async throws -> Reservation? {
        guard Task.isCancelled else { return reservation }
        _ = try await release([reservation.token], of: reservation.worker)
        return nil
    }

    /// The reservation of a reserved payload; nil when the payload cannot be read (written by another version,
    /// or damaged), which is then moved out of the worker's list into the dead letters as it is, instead of
    /// coming back to the worker forever.
    private func readable(_ payload: String, worker: WorkerID, expiresAt: Date) async throws -> Reservation? {
        do {
            return Reservation(
                unit: try codec.decodeUnit(payload), token: payload, worker: worker,
                expiresAt: expiresAt)
        } catch {
            _ = try await run(
                RedisQueueScripts.buryUnreadable,
                keys: [keys.processing(worker.rawValue), keys.isolation, keys.dead, keys.deadLetters],
                arguments: [
                    worker.rawValue, payload, "unreadable payload: \(error)", String(configuration.deadLetterLimit),
                ])
            return nil
        }
    }

    package func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        try await QueueUnavailable.translating {
            _ = try await run(
                RedisQueueScripts.heartbeat, keys: [keys.workers, keys.heartbeats],
                arguments: [worker.rawValue, String(lease.wholeMilliseconds)])
        }
    }

    // MARK: - Settling

    package func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        return try await QueueUnavailable.translating {
            try await settle(.acknowledge, reservation, delivery: delivery)
        }
    }

    package func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        return try await QueueUnavailable.translating {
            let delay = max(0, RedisCodec.milliseconds(date) - RedisCodec.milliseconds(clock.now))
            return try await settle(.retry, reservation, delivery: delivery, extra: (String(delay), codec.encode(unit)))
        }
    }

    package func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        return try await QueueUnavailable.translating {
            let letter = DeadLetter(unit: reservation.unit, reason: reason, deadAt: clock.now, attempts: delivery?.attempts)
            return try await settle(
                .deadLetter, reservation, delivery: delivery,
                extra: (keys.deadLetterMember(reservation.unit.id), try codec.encode(letter)))
        }
    }

    package func release(_ reservation: Reservation) async throws -> Bool {
        return try await QueueUnavailable.translating {
            try await release([reservation.token], of: reservation.worker) == 1
        }
    }

    private func release(_ tokens: [String], of worker: WorkerID) async throws -> Int {
        let reply = try await run(
            RedisQueueScripts.release,
            keys: [keys.processing(worker.rawValue), keys.ready, keys.suspects, keys.isolation],
            arguments: [worker.rawValue] + tokens)
        return Int(reply.integer ?? 0)
    }

    private func settle(
        _ kind: RedisSettleBatcher.Request.Kind, _ reservation: Reservation, delivery: DeliveryRecord?,
        extra: (String, String) = ("", "")
    ) async throws -> Bool {
        let id = reservation.unit.id
        return try await settles.settle(RedisSettleBatcher.Request(
            kind: kind, processingKey: keys.processing(reservation.worker.rawValue),
            recordKey: keys.record(id.notificationID.rawValue), token: reservation.token, field: keys.field(id),
            delivery: delivery.map { codec.encode($0) } ?? "", worker: reservation.worker.rawValue,
            extra: extra))
    }

    // MARK: - Maintenance

    package func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        return try await QueueUnavailable.translating {
            let now = clock.now
            var arguments = [String(RedisCodec.milliseconds(now))]
            for id in deliveries {
                arguments += [id.key, keys.deadLetterMember(id), codec.encode(DeliveryUnit(id: id, readySince: now))]
            }
            let reply = try await run(
                RedisQueueScripts.requeue, keys: [keys.record(notificationID.rawValue), keys.ready, keys.dead, keys.deadLetters],
                arguments: arguments)
            return (reply.array ?? []).compactMap(\.string).map { DeliveryID(notificationID: notificationID, key: $0) }
        }
    }

    /// Cancels by compare-and-set on each open delivery as read; a delivery that changed in between (a retry
    /// scheduled) is read again, a few rounds at most, so no open delivery is left behind.
    package func cancel(_ notificationID: NotificationID) async throws -> Cancellation? {
        return try await QueueUnavailable.translating {
            let key = keys.record(notificationID.rawValue)
            var canceled = 0
            for _ in 0..<4 {
                let hash = try await client.send(RESPCommand("HGETALL", key))
                guard let record = try codec.record(fromHash: hash, id: notificationID) else {
                    return canceled == 0 ? nil : try await cancellation(of: notificationID, canceled: canceled)
                }
                let open = record.deliveries.filter(\.status.isOpen)
                guard !open.isEmpty else { break }
                let stored = (hash.array ?? []).compactMap(\.string)
                var values: [String: String] = [:]
                for index in stride(from: 0, to: stored.count - 1, by: 2) { values[stored[index]] = stored[index + 1] }
                let now = clock.now
                var arguments = [
                    String(configuration.retention.wholeMilliseconds), String(RedisCodec.milliseconds(now)),
                    notificationID.rawValue,
                ]
                for delivery in open {
                    var ended = delivery
                    ended.status = .canceled
                    ended.updatedAt = now
                    let field = "d:\(delivery.key)"
                    arguments += [field, values[field] ?? "", codec.encode(ended)]
                }
                let claim = record.digest != nil && record.topic != nil && record.userID != nil
                    ? keys.digest(DigestContents.key(topic: record.topic!, user: record.userID!)) : keys.digest("")
                let reply = try await run(RedisQueueScripts.cancel, keys: [key, claim], arguments: arguments)
                guard let count = reply.integer, count >= 0 else { return nil }
                canceled += Int(count)
                if count == open.count { break }
            }
            return try await cancellation(of: notificationID, canceled: canceled)
        }
    }

    // MARK: - Digests

    package func openDigest(for key: String) async throws -> NotificationID? {
        try await QueueUnavailable.translating {
            guard let text = try await client.send(RESPCommand("GET", keys.digest(key))).string else { return nil }
            return try codec.decode(IdempotencyEntry.self, from: text).notificationID
        }
    }

    package func appendToDigest(
        _ id: NotificationID, content: RenderedContent, contents: DigestContents, expectedCount: Int,
        idempotency claim: IdempotencyEntry?
    ) async throws -> DigestAppendOutcome {
        try await QueueUnavailable.translating {
            guard let record = try await record(id), let due = record.scheduledFor else { return .closed }
            let now = clock.now
            let meta = codec.encode(RedisCodec.RecordMeta(
                id: record.id, topic: record.topic, userID: record.userID, content: content, createdAt: record.createdAt,
                scheduledFor: record.scheduledFor))
            let arguments = [
                String(expectedCount), meta, contents.json.jsonText, claim == nil ? "0" : "1",
                try claim.map { try codec.encode($0) } ?? "",
                String(max(1, claim.map { RedisCodec.milliseconds($0.expiresAt) - RedisCodec.milliseconds(now) } ?? 1)),
                String(RedisCodec.milliseconds(due)),
            ]
            let reply = try await run(
                RedisQueueScripts.appendToDigest, keys: [keys.record(id.rawValue), keys.idempotency(claim?.key ?? "")],
                arguments: arguments)
            if let elements = reply.array, elements.first?.string == "duplicate", let entry = elements.last?.string {
                return .duplicate(try codec.decode(IdempotencyEntry.self, from: entry))
            }
            switch reply.integer {
            case 1: return .appended
            case 0: return .closed
            case -1: return .changed
            default: throw RedisError(.unexpectedReply, "digest-append returned \(reply)")
            }
        }
    }

    private func record(_ id: NotificationID) async throws -> NotificationRecord? {
        let hash = try await client.send(RESPCommand("HGETALL", keys.record(id.rawValue)))
        return try codec.record(fromHash: hash, id: id)
    }

    private func cancellation(of id: NotificationID, canceled: Int) async throws -> Cancellation? {
        let hash = try await client.send(RESPCommand("HGETALL", keys.record(id.rawValue)))
        return try codec.record(fromHash: hash, id: id).map { Cancellation(record: $0, canceled: canceled) }
    }

    package func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        return try await QueueUnavailable.translating {
            let reply = try await client.send(RESPCommand("LRANGE", keys.processing(worker.rawValue), "0", "-1"))
            return Set((reply.array ?? []).compactMap(\.string))
        }
    }

    package func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        return try await QueueUnavailable.translating {
            guard !tokens.isEmpty else { return 0 }
            return try await release(Array(tokens), of: worker)
        }
    }

    package func recoverExpiredLeases() async throws -> LeaseRecovery {
        return try await QueueUnavailable.translating {
            let reply = try await run(
                RedisQueueScripts.recover,
                keys: [keys.workers, keys.suspects, keys.dead, keys.deadLetters, keys.isolation, keys.ready, keys.heartbeats],
                arguments: [
                    String(configuration.maxRecoveries), String(configuration.deadLetterLimit),
                    String(configuration.deadLetterMaxAge.wholeMilliseconds), keys.processingPrefix, keys.recordPrefix,
                    String(configuration.retention.wholeMilliseconds),
                ])
            guard let counts = reply.array, counts.count == 2, let recovered = counts[0].integer,
                let buried = counts[1].integer
            else { throw RedisError(.unexpectedReply, "recover returned \(reply)") }
            return LeaseRecovery(recovered: Int(recovered), deadLettered: Int(buried))
        }
    }

    package func depth() async throws -> QueueDepth {
        return try await QueueUnavailable.translating {
            let reply = try await run(
                RedisQueueScripts.depth, keys: [keys.ready, keys.workers, keys.scheduled, keys.dead, keys.suspects],
                arguments: [keys.processingPrefix])
            guard let values = reply.array, values.count == 8, let redisNow = values[6].integer else {
                throw RedisError(.unexpectedReply, "depth returned \(reply)")
            }
            // Due times are Redis's: moved onto this process's clock so a local wait for them is right.
            // (`readySince` is written by whichever clock made the unit ready; its age is good to the clock skew.)
            let skew = clock.now.timeIntervalSince1970 - Double(redisNow) / 1000
            let heads = try [values[4], values[7]].compactMap(\.string).map { try codec.decodeUnit($0) }
            return QueueDepth(
                ready: Int(values[0].integer ?? 0), inFlight: Int(values[1].integer ?? 0),
                scheduled: Int(values[2].integer ?? 0), dead: Int(values[3].integer ?? 0),
                oldestReadySince: heads.map(\.readySince).min(),
                nextScheduledAt: values[5].string.flatMap(RedisCodec.date(milliseconds:))?.addingTimeInterval(skew))
        }
    }

    package func throughput(minutes: Int) async throws -> [ThroughputMinute] {
        try await QueueUnavailable.translating {
            let reply = try await run(RedisQueueScripts.throughput, keys: [keys.ready], arguments: [String(max(1, min(minutes, 60)))])
            guard let parts = reply.array, parts.count == 2, let rows = parts[1].array, rows.count % 5 == 0 else {
                throw RedisError(.unexpectedReply, "throughput returned \(reply)")
            }
            return stride(from: 0, to: rows.count, by: 5).map { index in
                let value = { (offset: Int) in Int(rows[index + offset].integer ?? 0) }
                return ThroughputMinute(
                    start: Date(timeIntervalSince1970: Double(value(0)) * 60), accepted: value(1), sent: value(2),
                    retried: value(3), failed: value(4))
            }
        }
    }

    package func statistics(channels: [ChannelName]) async throws -> QueueStatistics {
        try await QueueUnavailable.translating {
            let reply = try await run(
                RedisQueueScripts.statistics, keys: [keys.ready, keys.suspects, keys.scheduled, keys.workers, keys.heartbeats],
                arguments: [keys.processingPrefix, String(QueueStatistics.scanLimit), keys.deadLetters(of: "")]
                    + channels.map(\.rawValue))
            guard let parts = reply.array, parts.count == 4, let redisNow = parts[1].integer,
                let flat = parts[2].array, let workerValues = parts[3].array, flat.count % 6 == 0, workerValues.count % 3 == 0
            else { throw RedisError(.unexpectedReply, "statistics returned \(reply)") }
            func date(_ value: RESPValue) -> Date? {
                guard let milliseconds = value.integer ?? value.string.flatMap(Int64.init), milliseconds >= 0 else { return nil }
                return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            }
            var stats: [ChannelName: QueueStatistics.Channel] = [:]
            for index in stride(from: 0, to: flat.count, by: 6) {
                guard let name = flat[index].string else { continue }
                var channel = QueueStatistics.Channel()
                channel.ready = Int(flat[index + 1].integer ?? 0)
                channel.scheduled = Int(flat[index + 2].integer ?? 0)
                channel.inFlight = Int(flat[index + 3].integer ?? 0)
                channel.dead = Int(flat[index + 4].integer ?? 0)
                channel.oldestReadySince = date(flat[index + 5])
                stats[ChannelName(name)] = channel
            }
            let workers = stride(from: 0, to: workerValues.count, by: 3).compactMap { index -> QueueStatistics.Worker? in
                guard let id = workerValues[index].string else { return nil }
                return QueueStatistics.Worker(
                    id: WorkerID(rawValue: id), lastHeartbeat: date(workerValues[index + 1]),
                    inFlight: Int(workerValues[index + 2].integer ?? 0))
            }
            return QueueStatistics(
                channels: stats, workers: workers.sorted { $0.id < $1.id }, isComplete: parts[0].integer == 1,
                takenAt: Date(timeIntervalSince1970: Double(redisNow) / 1000))
        }
    }

    package func deadLetters(limit: Int) async throws -> [DeadLetter] {
        return try await QueueUnavailable.translating {
            guard limit > 0 else { return [] }
            let members = try await client.send(RESPCommand("ZREVRANGE", keys.dead, "0", String(limit - 1)))
            let names = (members.array ?? []).compactMap(\.string)
            guard !names.isEmpty else { return [] }
            let letters = try await client.send(RESPCommand("HMGET", arguments: [keys.deadLetters] + names))
            // An unreadable payload's letter holds it raw, with no delivery to name: counted in `depth`, not listed.
            return (letters.array ?? []).compactMap(\.string).compactMap { try? codec.decode(DeadLetter.self, from: $0) }
        }
    }

    package func deadLetterPage(channel: ChannelName?, limit: Int, after cursor: String?) async throws -> DeadLetterPage {
        let before = try Self.deadLetterCursor(cursor)
        return try await QueueUnavailable.translating {
            guard limit > 0 else { return DeadLetterPage(letters: [], nextCursor: nil) }
            let entries = try await deadLetterEntries(channel: channel, limit: limit + 1, before: before)
            let page = entries.prefix(limit)
            return DeadLetterPage(
                letters: try await letters(named: page.map(\.member)),
                nextCursor: entries.count > limit ? page.last.map { String($0.score) } : nil)
        }
    }

    /// The score a dead-letter cursor names (the letters of the next page died before it).
    package static func deadLetterCursor(_ cursor: String?) throws(HeraldError) -> Int64? {
        guard let cursor else { return nil }
        guard let score = Int64(cursor) else {
            throw HeraldError(.invalidValue, "cursor is not one this server returned", field: "cursor")
        }
        return score
    }

    /// Up to `limit` dead-letter members, newest first, of one channel or all, scored below `before` (or at most
    /// `before` when `inclusive`). Scores are the times they died (ms), made unique within this queue.
    package func deadLetterEntries(channel: ChannelName?, limit: Int, before: Int64?, inclusive: Bool = false) async throws
        -> [(member: String, score: Int64)]
    {
        let index = channel.map { keys.deadLetters(of: $0.rawValue) } ?? keys.dead
        let reply = try await client.send(RESPCommand(
            "ZRANGE", index, before.map { inclusive ? "\($0)" : "(\($0)" } ?? "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", String(limit),
            "WITHSCORES"))
        let pairs = (reply.array ?? []).compactMap(\.string)
        return stride(from: 0, to: pairs.count - 1, by: 2).compactMap { index in
            Double(pairs[index + 1]).map { (pairs[index], Int64($0)) }
        }
    }

    package func deadLetters(of deliveries: [DeliveryID]) async throws -> [DeadLetter] {
        try await QueueUnavailable.translating { try await letters(named: deliveries.map(keys.deadLetterMember)) }
    }

    package func removeDeadLetters(of deliveries: [DeliveryID]) async throws -> Int {
        try await QueueUnavailable.translating {
            guard !deliveries.isEmpty else { return 0 }
            let reply = try await run(
                RedisQueueScripts.removeDeadLetters, keys: [keys.dead, keys.deadLetters],
                arguments: deliveries.map(keys.deadLetterMember))
            return Int(reply.integer ?? 0)
        }
    }

    /// The letters of these dead-letter members that exist, in their order.
    package func letters(named members: [String]) async throws -> [DeadLetter] {
        guard !members.isEmpty else { return [] }
        let letters = try await client.send(RESPCommand("HMGET", arguments: [keys.deadLetters] + members))
        return (letters.array ?? []).compactMap(\.string).compactMap { try? codec.decode(DeadLetter.self, from: $0) }
    }

    private func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RESPValue {
        try await runner.run(script, keys: keys, arguments: arguments)
    }
}
