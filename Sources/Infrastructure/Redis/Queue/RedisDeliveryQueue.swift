public import Foundation
public import HeraldApplication
public import HeraldDomain

/// The distributed queue: notifications, units, leases and dead letters in Redis, shared by every
/// API and worker process. Acceptance writes the record (read by ``RedisNotificationStore``) and the
/// idempotency key (read by ``RedisIdempotencyStore``) in the same atomic script as the units.
///
/// Reserving moves a unit with `BLMOVE` from the ready list into the worker's processing list; the
/// worker's lease is its heartbeat in `{p}:workers`. See `docs/operations.md` for the guarantees.
public final class RedisDeliveryQueue: DeliveryQueue {
    private let client: RedisClient
    private let clock: any WallClock
    private let keys: RedisKeys
    private let codec = RedisCodec()
    public let configuration: Configuration

    public init(client: RedisClient, clock: any WallClock = SystemClock(), configuration: Configuration = Configuration()) {
        self.client = client
        self.clock = clock
        self.configuration = configuration
        self.keys = RedisKeys(prefix: configuration.keyPrefix)
    }

    // MARK: - Accepting

    public func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let record = submission.record
        let now = clock.now
        var fields = [
            "meta", try codec.encode(RedisCodec.RecordMeta(
                id: record.id, topic: record.topic, userID: record.userID, content: record.content,
                createdAt: record.createdAt)),
            "order", try codec.encode(record.deliveries.map(\.channel)),
        ]
        for delivery in record.deliveries {
            fields += ["d:\(delivery.channel.rawValue)", try codec.encode(delivery)]
        }
        let claim = submission.idempotency
        var arguments = [
            claim == nil ? "0" : "1",
            try claim.map { try codec.encode($0) } ?? "",
            String(max(1, claim.map { RedisCodec.milliseconds($0.expiresAt) - RedisCodec.milliseconds(now) } ?? 1)),
            String(milliseconds(configuration.retention)),
            String(fields.count / 2),
        ]
        arguments += fields
        arguments += try submission.units.map { try codec.encode($0) }
        let reply = try await run(
            RedisQueueScripts.accept,
            keys: [keys.idempotency(claim?.key ?? ""), keys.record(record.id.rawValue), keys.ready],
            arguments: arguments)
        if let elements = reply.array, elements.first?.string == "duplicate", let entry = elements.last?.string {
            return .duplicate(try codec.decode(IdempotencyEntry.self, from: entry))
        }
        guard reply.string == "accepted" else { throw RedisError(.unexpectedReply, "accept returned \(reply)") }
        return .accepted
    }

    // MARK: - Reserving

    public func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws
        -> Reservation?
    {
        let deadline = clock.now.adding(wait)
        let processing = keys.processing(worker.rawValue)
        while true {
            let now = clock.now
            let expiresAt = now.adding(lease)
            let reply = try await run(
                RedisQueueScripts.reserve, keys: [keys.scheduled, keys.ready, keys.workers, processing],
                arguments: [
                    String(RedisCodec.milliseconds(now)), worker.rawValue, String(RedisCodec.milliseconds(expiresAt)),
                    keys.recordPrefix,
                ])
            guard let parts = reply.array, parts.count == 3 else {
                throw RedisError(.unexpectedReply, "reserve returned \(reply)")
            }
            if let payload = parts[0].string {
                var reserved = try reservation(payload, worker: worker, expiresAt: expiresAt)
                reserved.record = try codec.record(fromHash: parts[2], id: reserved.unit.id.notificationID)
                return try await handOver(reserved)
            }
            let remaining = deadline.timeIntervalSince(now)
            guard remaining > 0, !Task.isCancelled else { return nil }
            var block = min(remaining, configuration.maxBlockingWait.timeInterval)
            if let nextDue = parts[1].string.flatMap(RedisCodec.date(milliseconds:)) {
                block = min(block, nextDue.timeIntervalSince(now))
            }
            block = max(block, 0.01)
            let moved = try await client.sendBlocking(
                RESPCommand("BLMOVE", keys.ready, processing, "RIGHT", "LEFT", String(format: "%.3f", block)),
                serverWait: .milliseconds(Int64(block * 1000)))
            if let payload = moved.string {
                return try await handOver(try reservation(payload, worker: worker, expiresAt: expiresAt))
            }
        }
    }

    /// Returns the reservation, unless the caller was cancelled meanwhile: then the unit goes back to the
    /// head of the ready list at once instead of waiting for its lease to expire.
    private func handOver(_ reservation: Reservation) async throws -> Reservation? {
        guard Task.isCancelled else { return reservation }
        _ = try await run(
            RedisQueueScripts.release, keys: [keys.processing(reservation.worker.rawValue), keys.ready],
            arguments: [reservation.token])
        return nil
    }

    private func reservation(_ payload: String, worker: WorkerID, expiresAt: Date) throws -> Reservation {
        Reservation(
            unit: try codec.decode(DeliveryUnit.self, from: payload), token: payload, worker: worker, expiresAt: expiresAt)
    }

    public func renewLeases(of worker: WorkerID, for lease: Duration) async throws {
        try await client.send(cancellable: false, RESPCommand(
            "ZADD", keys.workers, String(RedisCodec.milliseconds(clock.now.adding(lease))), worker.rawValue))
    }

    // MARK: - Settling

    public func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        try await settle(RedisQueueScripts.acknowledge, reservation, delivery: delivery, extraKeys: [], extraArguments: [])
    }

    public func scheduleRetry(
        _ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord
    ) async throws -> Bool {
        try await settle(
            RedisQueueScripts.scheduleRetry, reservation, delivery: delivery, extraKeys: [keys.scheduled],
            extraArguments: [String(RedisCodec.milliseconds(date)), try codec.encode(unit)])
    }

    public func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?)
        async throws -> Bool
    {
        let letter = DeadLetter(unit: reservation.unit, reason: reason, deadAt: clock.now)
        return try await settle(
            RedisQueueScripts.deadLetter, reservation, delivery: delivery, extraKeys: [keys.dead],
            extraArguments: [try codec.encode(letter), String(configuration.deadLetterLimit)])
    }

    public func release(_ reservation: Reservation) async throws -> Bool {
        try await run(
            RedisQueueScripts.release, keys: [keys.processing(reservation.worker.rawValue), keys.ready],
            arguments: [reservation.token]
        ).integer == 1
    }

    private func settle(
        _ script: RedisScript, _ reservation: Reservation, delivery: DeliveryRecord?, extraKeys: [String],
        extraArguments: [String]
    ) async throws -> Bool {
        let id = reservation.unit.id
        let reply = try await run(
            script,
            keys: [keys.processing(reservation.worker.rawValue), keys.record(id.notificationID.rawValue)] + extraKeys,
            arguments: [reservation.token, "d:\(id.channel.rawValue)", try delivery.map { try codec.encode($0) } ?? ""]
                + extraArguments)
        return reply.integer == 1
    }

    // MARK: - Maintenance

    public func requeue(_ notificationID: NotificationID, channels: [ChannelName]) async throws -> [ChannelName] {
        let now = clock.now
        var arguments = [String(RedisCodec.milliseconds(now))]
        for channel in channels {
            let unit = DeliveryUnit(id: DeliveryID(notificationID: notificationID, channel: channel), readySince: now)
            arguments += [channel.rawValue, try codec.encode(unit)]
        }
        let reply = try await run(
            RedisQueueScripts.requeue, keys: [keys.record(notificationID.rawValue), keys.ready, keys.dead],
            arguments: arguments)
        return (reply.array ?? []).compactMap(\.string).map(ChannelName.init(rawValue:))
    }

    public func leasedTokens(of worker: WorkerID) async throws -> Set<String> {
        let reply = try await client.send(RESPCommand("LRANGE", keys.processing(worker.rawValue), "0", "-1"))
        return Set((reply.array ?? []).compactMap(\.string))
    }

    public func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        guard !tokens.isEmpty else { return 0 }
        let reply = try await run(
            RedisQueueScripts.releaseMany, keys: [keys.processing(worker.rawValue), keys.ready], arguments: Array(tokens))
        return Int(reply.integer ?? 0)
    }

    public func recoverExpiredLeases() async throws -> LeaseRecovery {
        let now = clock.now
        let reply = try await run(
            RedisQueueScripts.recover, keys: [keys.workers, keys.ready, keys.dead],
            arguments: [
                String(RedisCodec.milliseconds(now)), String(configuration.maxRecoveries),
                String(configuration.deadLetterLimit),
                String(RedisCodec.milliseconds(now.adding(.zero - configuration.deadLetterMaxAge))),
                keys.processingPrefix, keys.recordPrefix,
            ])
        guard let counts = reply.array, counts.count == 2, let recovered = counts[0].integer,
            let buried = counts[1].integer
        else { throw RedisError(.unexpectedReply, "recover returned \(reply)") }
        return LeaseRecovery(recovered: Int(recovered), deadLettered: Int(buried))
    }

    public func depth() async throws -> QueueDepth {
        let reply = try await run(
            RedisQueueScripts.depth, keys: [keys.ready, keys.workers, keys.scheduled, keys.dead],
            arguments: [keys.processingPrefix])
        guard let values = reply.array, values.count == 6 else {
            throw RedisError(.unexpectedReply, "depth returned \(reply)")
        }
        let head = try values[4].string.map { try codec.decode(DeliveryUnit.self, from: $0) }
        return QueueDepth(
            ready: Int(values[0].integer ?? 0), inFlight: Int(values[1].integer ?? 0),
            scheduled: Int(values[2].integer ?? 0), dead: Int(values[3].integer ?? 0),
            oldestReadySince: head?.readySince,
            nextScheduledAt: values[5].string.flatMap(RedisCodec.date(milliseconds:)))
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        let reply = try await client.send(RESPCommand("LRANGE", keys.dead, "0", String(limit - 1)))
        return try (reply.array ?? []).compactMap(\.string).map { try codec.decode(DeadLetter.self, from: $0) }
    }

    /// Runs a queue script to completion even if the caller is cancelled: every queue transition must
    /// be known to have happened or not (a settle lost to cancellation would strand or resend a unit).
    private func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RESPValue {
        try await client.evaluate(script, keys: keys, arguments: arguments, cancellable: false)
    }

    private func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
