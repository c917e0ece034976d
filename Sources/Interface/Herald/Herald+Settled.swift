public import HeraldDomain

extension Herald {
    /// Waits until no delivery of `id` is queued or retrying any more — each one is `sent`, `failed` or
    /// `skipped` — and returns the record: how a host (or its test) waits for a notification to be done
    /// without sleeping for a guessed time. Deliveries happen in ``run()`` (here or in another process on
    /// the same Redis), so call it while something runs the workers.
    /// - Throws: `not_found`; a `CancellationError`; `HeraldError(.queueUnavailable)` when `timeout` passes first.
    public func settled(_ id: NotificationID, timeout: Duration = .seconds(30)) async throws -> NotificationRecord {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while true {
            let record = try await getStatus(id)
            if record.deliveries.allSatisfy(\.status.isFinal) { return record }
            guard ContinuousClock.now + pause < deadline else {
                throw HeraldError(.queueUnavailable, "notification \(id) did not settle within \(timeout)")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
    }
}
