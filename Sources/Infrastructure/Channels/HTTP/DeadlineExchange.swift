import Dispatch
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One URLSession data task raced against Herald's own deadline: whichever ends first answers the
/// caller, and a task still running at the deadline (or when the caller is cancelled) is cancelled.
///
/// The timer runs on a Dispatch queue and the caller waits on a continuation, so nothing blocks the
/// cooperative pool; a timer is exact to the millisecond, unlike URLSession's own timeouts on Linux.
enum DeadlineExchange {
    /// Sends `request` through `session`; the answer must be complete within `timeout`.
    /// - Throws: ``HTTPTransportError`` (`timed out after N ms`) at the deadline, `CancellationError`
    ///   when the task is cancelled, or the session's own error.
    static func run(
        _ request: URLRequest, in session: URLSession, timeout: Duration
    ) async throws -> (Data, URLResponse) {
        let race = Race()
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        race.finish(.failure(error))
                    } else if let response {
                        race.finish(.success((data ?? Data(), response)))
                    } else {
                        race.finish(.failure(URLError(.badServerResponse)))
                    }
                }
                guard race.begin(continuation, task: task) else {
                    task.cancel()  // never started: cancelled so the session does not keep it
                    return
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
                    race.finish(.failure(HTTPTransportError(cause: "timed out after \(milliseconds) ms")))
                }
                task.resume()
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }
}

/// The state of one exchange: the first of answer, deadline and cancellation resumes the caller once.
private final class Race: Sendable {
    typealias Answer = Result<(Data, URLResponse), any Error>

    private enum State {
        case notStarted
        case running(CheckedContinuation<(Data, URLResponse), any Error>, URLSessionDataTask)
        case finished
    }

    private let state = Mutex(State.notStarted)

    /// Installs the caller's continuation; false (and the caller resumed with `CancellationError`) when the
    /// task was cancelled before the request started, which must then not be sent.
    func begin(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>, task: URLSessionDataTask) -> Bool {
        let started = state.withLock { state -> Bool in
            guard case .notStarted = state else { return false }
            state = .running(continuation, task)
            return true
        }
        if !started { continuation.resume(throwing: CancellationError()) }
        return started
    }

    /// Resumes the caller with `answer` if nothing else did first, and cancels the task (a no-op once it
    /// completed); a deadline timer firing later finds the race finished and does nothing.
    func finish(_ answer: Answer) {
        let running = state.withLock { state -> State in
            defer { state = .finished }
            return state
        }
        guard case .running(let continuation, let task) = running else { return }
        task.cancel()
        continuation.resume(with: answer)
    }
}
