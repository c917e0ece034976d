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

    init(runner: QueueScriptRunner, keys: RedisKeys, limit: Int) {
        let (ready, scheduled) = (keys.ready, keys.scheduled)
        coalescer = CallCoalescer(limit: limit) { requests in
            var keys = [ready, scheduled]
            var arguments: [String] = []
            for request in requests {
                keys += [request.idempotencyKey, request.recordKey, request.dedupeKey]
                arguments.append(String(request.arguments.count))
                arguments += request.arguments
            }
            let reply = try await runner.run(RedisQueueScripts.accept, keys: keys, arguments: arguments)
            guard let replies = reply.array else { throw RedisError(.unexpectedReply, "accept returned \(reply)") }
            return replies
        }
    }

    /// Runs one accept in the next batch and returns its reply.
    func accept(_ request: Request) async throws -> RESPValue {
        try await coalescer.submit(request)
    }
}
