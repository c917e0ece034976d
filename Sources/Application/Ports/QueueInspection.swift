/// Reading the queue's state without changing it: readiness checks, `/metrics`, and operators.
public protocol QueueInspection: Sendable {
    /// Counts of ready, in-flight, scheduled and dead units.
    func depth() async throws -> QueueDepth

    /// The most recent dead letters, newest first.
    func deadLetters(limit: Int) async throws -> [DeadLetter]
}
