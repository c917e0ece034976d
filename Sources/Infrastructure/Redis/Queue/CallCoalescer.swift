import Synchronization

/// Coalesces concurrent calls into batched ones (group commit): while one batch is in flight, later calls
/// wait and go out together in the next, at most ``limit`` at a time, and each caller gets its own answer.
/// A lone caller runs its batch of one in its own task; a busy period continues in a task of its own, so no
/// caller waits for more than the batch it joined.
final class CallCoalescer<Request: Sendable, Answer: Sendable>: Sendable {
    /// Runs one batch; must return one answer per request, in order. A throw fails every request of the batch.
    typealias Flush = @Sendable ([Request]) async throws -> [Answer]

    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var isFlushing = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let flush: Flush

    init(limit: Int, flush: @escaping Flush) {
        self.limit = max(1, limit)
        self.flush = flush
    }

    /// Runs `request` in the next batch and returns its answer. Not cut short by cancellation: every
    /// queue transition must be known to have happened or not.
    func submit(_ request: Request) async throws -> Answer {
        let runsAlone = state.withLock { state in
            guard !state.isFlushing else { return false }
            state.isFlushing = true
            return true
        }
        if runsAlone {
            let answers = await answers(for: [request])
            handOff()
            return try answers.get()[0]
        }
        return try await withCheckedThrowingContinuation { continuation in
            let startsFlushing = state.withLock { state in
                state.waiting.append(Waiting(request: request, continuation: continuation))
                guard !state.isFlushing else { return false }
                state.isFlushing = true
                return true
            }
            if startsFlushing { Task { await self.flushWaiting() } }
        }
    }

    /// Ends a lone caller's turn: the calls that queued up behind it go out in a task of their own.
    private func handOff() {
        let hasWaiting = state.withLock { state in
            if state.waiting.isEmpty { state.isFlushing = false }
            return !state.waiting.isEmpty
        }
        if hasWaiting { Task { await self.flushWaiting() } }
    }

    /// Sends batches of the waiting calls until none is left.
    private func flushWaiting() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let taken = Array(state.waiting.prefix(limit))
                state.waiting.removeFirst(taken.count)
                if taken.isEmpty { state.isFlushing = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            switch await answers(for: batch.map(\.request)) {
            case .success(let answers):
                for (waiting, answer) in zip(batch, answers) { waiting.continuation.resume(returning: answer) }
            case .failure(let error):
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }

    private func answers(for requests: [Request]) async -> Result<[Answer], any Error> {
        do {
            let answers = try await flush(requests)
            guard answers.count == requests.count else {
                return .failure(RedisError(.unexpectedReply, "a batch of \(requests.count) got \(answers.count) answers"))
            }
            return .success(answers)
        } catch {
            return .failure(error)
        }
    }
}
