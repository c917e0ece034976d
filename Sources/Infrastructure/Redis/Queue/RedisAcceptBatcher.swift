/// Coalesces concurrent accepts into one `accept` script per turn. Each accept is still judged on its own
/// (its record, idempotency key and deadline), so batching changes no answer.
final class RedisAcceptBatcher: Sendable {
    /// One accept: its idempotency, record and dedupe keys and its arguments, as the `accept` script takes them.
    struct Request: Sendable {
        var idempotencyKey: String
        var recordKey: String
        var dedupeKey: String
        var arguments: [String]
    }

    private let coalescer: CallCoalescer<Request, RESPValue>

    /// With `replicas` above 0, a batch's accepts are answered only once `WAIT` confirms that many replicas hold
    /// them; fewer within `replicaTimeout` fails every accept of the batch with ``ReplicasUnconfirmed``.
    init(runner: QueueScriptRunner, keys: RedisKeys, limit: Int, replicas: Int = 0, replicaTimeout: Duration = .seconds(1)) {
        let (ready, scheduled) = (keys.ready, keys.scheduled)
        coalescer = CallCoalescer(limit: limit) { requests in
            var keys = [ready, scheduled]
            var arguments: [String] = []
            for request in requests {
                keys += [request.idempotencyKey, request.recordKey, request.dedupeKey]
                arguments.append(String(request.arguments.count))
                arguments += request.arguments
            }
            let reply: RESPValue
            if replicas > 0 {
                let (answer, acknowledged) = try await runner.run(
                    RedisQueueScripts.accept, keys: keys, arguments: arguments, waitingFor: replicas, timeout: replicaTimeout)
                guard acknowledged >= replicas else { throw ReplicasUnconfirmed(wanted: replicas, acknowledged: acknowledged) }
                reply = answer
            } else {
                reply = try await runner.run(RedisQueueScripts.accept, keys: keys, arguments: arguments)
            }
            guard let replies = reply.array else { throw RedisError(.unexpectedReply, "accept returned \(reply)") }
            return replies
        }
    }

    /// Runs one accept in the next batch and returns its reply.
    func accept(_ request: Request) async throws -> RESPValue {
        try await coalescer.submit(request)
    }
}

/// An accept Redis applied but too few replicas confirmed within the timeout (`queue.min_replicas_ack`).
struct ReplicasUnconfirmed: Error, CustomStringConvertible {
    let wanted: Int
    let acknowledged: Int

    var description: String { "\(acknowledged) of \(wanted) replicas confirmed the accept" }
}
