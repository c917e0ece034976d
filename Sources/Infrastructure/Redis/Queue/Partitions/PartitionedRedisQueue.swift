package import Foundation
package import HeraldApplication
package import HeraldDomain
import Synchronization

/// The Redis queue spread over ``RedisPartitionMap/count`` partitions (`queue.partitions`): each partition is a
/// whole ``RedisDeliveryQueue`` under its own hash tag, so on a Redis Cluster the partitions spread over the masters
/// and capacity grows with them, while everything one notification touches stays in one slot and every script
/// stays atomic.
///
/// A notification's partition comes from its id (``newNotificationID(placedWith:)`` draws ids that hash to the
/// partition of the key they claim). Workers take from every partition in turn (see ``reserve(for:lease:waitingUpTo:)``);
/// lists, dead letters and counts are merged from all. See `docs/operations.md` for what each guarantee becomes.
package final class PartitionedRedisQueue: DeliveryQueue, DigestIntake, NotificationStore, IdempotencyStore, Sendable {
    /// One partition: its queue, its record store, and the client and keys they use.
    struct Partition: Sendable {
        let queue: RedisDeliveryQueue
        let store: RedisNotificationStore
        let client: RedisClient
        let keys: RedisKeys
    }

    package let map: RedisPartitionMap
    let partitions: [Partition]
    let clock: any WallClock
    /// The longest a reserve waits on one partition before it looks at all of them again.
    let blockingSlice: Duration
    /// Counts reserves: where a reserve starts its round turns every ``reserveGroup`` calls, so concurrent reserves
    /// start at the same partition and share its script calls (one script takes units for many callers).
    let nextRound = Atomic<Int>(0)
    let reserveGroup: Int
    /// Which partition a reserve that found nothing waits on: turns with every call.
    let nextWait = Atomic<Int>(0)
    /// Counts notifications placed without a key: they go to one partition for ``acceptGroup`` accepts, then the
    /// next, so concurrent accepts share one script call as on one partition, and every partition gets its share.
    let nextPlacement = Atomic<Int>(0)
    let acceptGroup: Int
    /// `queue.min_replicas_ack` and its timeout, for the notes written outside the accept script.
    let replicasAck: Int
    let replicaAckTimeout: Duration
    /// Isolation across partitions: what this process's workers hold.
    let holdings = WorkerHoldings()
    /// While the queue is idle, at most one round over the partitions per ``blockingSlice``.
    let idleRounds: IdleRounds
    /// How often an isolated worker looks again (``RedisDeliveryQueue/Configuration/isolationPoll``).
    let isolationPoll: Duration

    /// - Parameters:
    ///   - clients: one client per partition, in order (the same client may serve several: on one Redis server
    ///     all of them; on a cluster each partition's client routes to the master of its slot).
    ///   - configuration: every partition's queue settings; its ``RedisDeliveryQueue/Configuration/keyPrefix`` is
    ///     the deployment's.
    package init(
        map: RedisPartitionMap, clients: [RedisClient], clock: any WallClock = SystemClock(),
        configuration: RedisDeliveryQueue.Configuration, blockingSlice: Duration = .seconds(1),
        serverTimeOverride: (@Sendable () -> Date)? = nil
    ) {
        precondition(clients.count == map.count, "one client per partition")
        self.map = map
        self.clock = clock
        self.blockingSlice = blockingSlice
        self.isolationPoll = configuration.isolationPoll
        self.replicasAck = configuration.minReplicasAck
        self.replicaAckTimeout = configuration.replicaAckTimeout
        self.idleRounds = IdleRounds(interval: blockingSlice)
        self.reserveGroup = max(1, configuration.batch / 4)
        self.acceptGroup = max(1, configuration.acceptBatch / 4)
        self.partitions = clients.enumerated().map { index, client in
            var settings = configuration
            settings.keyPrefix = map.prefix(of: index)
            // The bound is the deployment's: each partition keeps its share.
            settings.deadLetterLimit = (configuration.deadLetterLimit + map.count - 1) / map.count
            return Partition(
                queue: RedisDeliveryQueue(
                    client: client, clock: clock, configuration: settings, serverTimeOverride: serverTimeOverride),
                store: RedisNotificationStore(client: client, keyPrefix: settings.keyPrefix),
                client: client, keys: RedisKeys(prefix: settings.keyPrefix))
        }
    }

    func partition(of id: NotificationID) -> Partition {
        partitions[map.partition(of: id)]
    }

    // MARK: - Accepting

    package func newNotificationID(placedWith key: String?) -> NotificationID {
        if let key { return map.newID(placedWith: key) }
        return map.newID(inPartition: nextPlacement.wrappingAdd(1, ordering: .relaxed).oldValue / acceptGroup % map.count)
    }

    /// Accepts in the notification's partition, with its claims. The id must have been placed with the first key
    /// it claims (digest, dedupe, idempotency), whose partition is where the next request with that key meets the
    /// claim; an idempotency key claimed beside a dedupe or digest key in another partition is first noted in its
    /// own partition (`{p#k}:idem-at:<key>`), where lookups start.
    /// - Throws: `invalid_value` when the id is not placed so (nothing is written).
    package func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let index = map.partition(of: submission.record.id)
        if let placed = submission.digest ?? submission.dedupe ?? submission.idempotency,
            map.partition(ofKey: placed.key) != index
        {
            throw HeraldError(
                .invalidValue,
                "notification \(submission.record.id) is not placed with its key \"\(placed.key)\"; take ids from "
                    + "newNotificationID(placedWith:)")
        }
        try await notePlacement(of: submission.idempotency, in: index)
        return try await partitions[index].queue.enqueue(submission)
    }

    /// Notes, in the idempotency key's own partition, the partition it is claimed in, when that is another one;
    /// with `min_replicas_ack` the note is confirmed by the replicas like the accept that follows it.
    private func notePlacement(of claim: IdempotencyEntry?, in index: Int) async throws {
        guard let claim, map.partition(ofKey: claim.key) != index else { return }
        let home = partitions[map.partition(ofKey: claim.key)]
        let lifetime = max(1, RedisCodec.milliseconds(claim.expiresAt) - RedisCodec.milliseconds(clock.now))
        let note = home.keys.idempotencyPlacement(claim.key)
        try await QueueUnavailable.translating {
            guard replicasAck > 0 else {
                _ = try await home.client.send(RESPCommand("SET", note, String(index), "PX", String(lifetime)))
                return
            }
            let (_, acknowledged) = try await home.client.evaluate(
                Self.setNote, keys: [note], arguments: [String(index), String(lifetime)], waitingFor: replicasAck,
                timeout: replicaAckTimeout)
            guard acknowledged >= replicasAck else {
                throw HeraldError(
                    .queueUnavailable,
                    "the idempotency key's note was not confirmed by \(replicasAck) replica(s) in time; nothing was accepted",
                    field: RedisDeliveryQueue.replicaAckField)
            }
        }
    }

    /// `SET` of a note, as a script so that the client's `WAIT` on the same connection counts its replicas.
    private static let setNote = RedisScript(
        name: "idempotency-note", source: "return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])")

    package func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        try await partition(of: notificationID).queue.requeue(notificationID, deliveries: deliveries)
    }

    package func cancel(_ notificationID: NotificationID) async throws -> Cancellation? {
        try await partition(of: notificationID).queue.cancel(notificationID)
    }

    // MARK: - Digests

    package func openDigest(for key: String) async throws -> NotificationID? {
        try await partitions[map.partition(ofKey: key)].queue.openDigest(for: key)
    }

    package func appendToDigest(
        _ id: NotificationID, content: RenderedContent, contents: DigestContents, expectedCount: Int,
        idempotency claim: IdempotencyEntry?
    ) async throws -> DigestAppendOutcome {
        try await notePlacement(of: claim, in: map.partition(of: id))
        return try await partition(of: id).queue.appendToDigest(
            id, content: content, contents: contents, expectedCount: expectedCount, idempotency: claim)
    }

    // MARK: - Reading records and keys

    package func record(for id: NotificationID) async throws -> NotificationRecord? {
        try await partition(of: id).store.record(for: id)
    }

    /// Looks in the key's own partition: the entry is there, or a note of the partition that holds it.
    package func entry(for key: String) async throws -> IdempotencyEntry? {
        let home = partitions[map.partition(ofKey: key)]
        return try await QueueUnavailable.translating {
            let reply = try await home.client.send(RESPCommand(
                "MGET", home.keys.idempotency(key), home.keys.idempotencyPlacement(key)))
            let values = reply.array ?? []
            var text = values.first?.string
            if text == nil, let noted = values.last?.string.flatMap(Int.init), partitions.indices.contains(noted) {
                let holder = partitions[noted]
                text = try await holder.client.send(RESPCommand("GET", holder.keys.idempotency(key))).string
            }
            return try text.map { try RedisCodec().decode(IdempotencyEntry.self, from: $0) }
        }
    }
}
