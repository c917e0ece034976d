import HeraldDomain
import Synchronization

/// Serves concurrent reserves of one worker from batches: one `reserve` script moves up to ``limit`` units
/// into the worker's processing list at once (so a kill -9 of the worker leaves them to lease recovery, like
/// any reserved unit) and each waiting caller gets one, or, when there were fewer, what it needs to wait.
final class RedisReserveBatcher: Sendable {
    /// What one reserve call got from a batch.
    enum Answer: Sendable {
        /// A unit now in the worker's list, and its record's hash (null when its payload names none).
        case unit(payload: String, record: RESPValue)
        /// Nothing for this caller: the next due retry and Redis's now (ms), and whether the worker is isolated.
        case none(nextDue: String?, redisNow: Int64?, isBlocked: Bool)
    }

    private struct Lessee: Hashable {
        var worker: String
        var leaseMilliseconds: Int64
    }

    private let runner: QueueScriptRunner
    private let keys: RedisKeys
    private let limit: Int
    private let coalescers = Mutex<[Lessee: CallCoalescer<Void, Answer>]>([:])

    init(runner: QueueScriptRunner, keys: RedisKeys, limit: Int) {
        self.runner = runner
        self.keys = keys
        self.limit = limit
    }

    /// Reserves one unit for `worker` in the next batch of its reserves with the same lease.
    func reserve(for worker: String, lease: Duration) async throws -> Answer {
        let lessee = Lessee(worker: worker, leaseMilliseconds: lease.wholeMilliseconds)
        let coalescer = coalescers.withLock { coalescers in
            if let existing = coalescers[lessee] { return existing }
            let made = CallCoalescer<Void, Answer>(limit: limit) { [runner, keys] requests in
                try await Self.reserveBatch(of: requests.count, for: lessee, runner: runner, keys: keys)
            }
            coalescers[lessee] = made
            return made
        }
        return try await coalescer.submit(())
    }

    private static func reserveBatch(
        of count: Int, for lessee: Lessee, runner: QueueScriptRunner, keys: RedisKeys
    ) async throws -> [Answer] {
        let reply = try await runner.run(
            RedisQueueScripts.reserve,
            keys: [
                keys.scheduled, keys.ready, keys.workers, keys.processing(lessee.worker), keys.suspects, keys.isolation,
                keys.heartbeats,
            ],
            arguments: [lessee.worker, String(lessee.leaseMilliseconds), keys.recordPrefix, String(count)])
        guard let parts = reply.array, parts.count == 5, let payloads = parts[0].array, let records = parts[1].array,
            payloads.count <= count, records.count == payloads.count
        else { throw RedisError(.unexpectedReply, "reserve returned \(reply)") }
        var answers = zip(payloads, records).map { payload, record in
            Answer.unit(payload: payload.string ?? "", record: record)
        }
        let none = Answer.none(nextDue: parts[2].string, redisNow: parts[3].integer, isBlocked: parts[4].integer == 1)
        answers += repeatElement(none, count: count - answers.count)
        return answers
    }
}
