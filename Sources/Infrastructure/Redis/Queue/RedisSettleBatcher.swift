import HeraldDomain

/// Coalesces concurrent settles (acknowledge, schedule a retry, dead-letter) of every worker of this process
/// into one `settle` script per turn; each caller learns whether its worker still held its unit.
final class RedisSettleBatcher: Sendable {
    /// One settle, as the `settle` script takes it.
    struct Request: Sendable {
        enum Kind: String, Sendable {
            case acknowledge = "a"
            case retry = "r"
            case deadLetter = "d"
        }

        var kind: Kind
        var processingKey: String
        var recordKey: String
        var token: String
        var field: String
        /// The delivery's new state as JSON, or "" to leave it as it is.
        var delivery: String
        var worker: String
        /// A retry's delay (ms) and new payload, or a dead letter's member and letter; empty to acknowledge.
        var extra: (String, String) = ("", "")
    }

    private let coalescer: CallCoalescer<Request, Bool>

    init(runner: QueueScriptRunner, keys: RedisKeys, configuration: RedisDeliveryQueue.Configuration) {
        let fixedKeys = [keys.isolation, keys.scheduled, keys.dead, keys.deadLetters, keys.ready]
        let fixedArguments = [String(configuration.retention.wholeMilliseconds), String(configuration.deadLetterLimit)]
        coalescer = CallCoalescer(limit: configuration.batch) { requests in
            var keys = fixedKeys
            var arguments = fixedArguments
            keys.reserveCapacity(keys.count + requests.count * 2)
            arguments.reserveCapacity(arguments.count + requests.count * 7)
            for request in requests {
                keys += [request.processingKey, request.recordKey]
                arguments += [
                    request.kind.rawValue, request.token, request.field, request.delivery, request.worker,
                    request.extra.0, request.extra.1,
                ]
            }
            let reply = try await runner.run(RedisQueueScripts.settle, keys: keys, arguments: arguments)
            guard let results = reply.array else { throw RedisError(.unexpectedReply, "settle returned \(reply)") }
            return results.map { $0.integer == 1 }
        }
    }

    /// Settles one reservation in the next batch; false when its worker no longer held the unit.
    func settle(_ request: Request) async throws -> Bool {
        try await coalescer.submit(request)
    }
}
