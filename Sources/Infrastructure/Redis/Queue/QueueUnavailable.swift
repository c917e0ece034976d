import HeraldDomain

/// How the Redis adapters report a backend failure to the use cases: any error that is neither a
/// ``HeraldError`` nor a cancellation (a `RedisError`, a socket error) becomes `queue_unavailable`, with the
/// original as its `underlying`, so no use case knows Redis's error types.
enum QueueUnavailable {
    static func translating<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as HeraldError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw HeraldError(.queueUnavailable, "the queue is unavailable: \(error)", underlying: error)
        }
    }
}
