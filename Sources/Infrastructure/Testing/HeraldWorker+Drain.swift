public import HeraldApplication

extension HeraldWorker {
    /// Delivers everything in the queue, retries included, advancing `clock` to each scheduled retry
    /// instead of sleeping; returns the number of units processed. A host test reads
    /// `send → drain → expect` with no sleeps.
    @discardableResult
    public func drain(advancing clock: ManualClock) async throws -> Int {
        try await drain(waitForRetries: { clock.advance(to: $0) })
    }
}
