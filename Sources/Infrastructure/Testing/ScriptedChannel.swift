public import HeraldApplication
public import HeraldDomain
import Synchronization

/// A channel that answers from a script (`[.retry(reason: "503"), .sent]`), then repeats a fallback
/// answer; every attempt is recorded, so tests can count sends.
public final class ScriptedChannel: NotificationChannel {
    /// One scripted answer: an outcome, or an error to throw.
    public enum Step: Sendable {
        case outcome(DeliveryOutcome)
        case error(any Error)
    }

    private struct State {
        var script: [Step]
        var attempts: [OutgoingMessage] = []
    }

    private let state: Mutex<State>
    private let fallback: DeliveryOutcome

    /// Answers with `outcomes` in order, then `fallback` forever.
    public convenience init(_ outcomes: [DeliveryOutcome], then fallback: DeliveryOutcome = .sent) {
        self.init(steps: outcomes.map(Step.outcome), then: fallback)
    }

    /// Answers with `steps` in order (outcomes or thrown errors), then `fallback` forever.
    public init(steps: [Step], then fallback: DeliveryOutcome = .sent) {
        self.state = Mutex(State(script: steps))
        self.fallback = fallback
    }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let step = state.withLock { state in
            state.attempts.append(message)
            return state.script.isEmpty ? Step.outcome(fallback) : state.script.removeFirst()
        }
        switch step {
        case .outcome(let outcome): return outcome
        case .error(let error): throw error
        }
    }

    /// Every attempt so far, in order.
    public var attempts: [OutgoingMessage] { state.withLock { $0.attempts } }

    /// Appends answers to the script.
    public func enqueue(_ outcomes: DeliveryOutcome...) {
        state.withLock { $0.script.append(contentsOf: outcomes.map(Step.outcome)) }
    }
}
