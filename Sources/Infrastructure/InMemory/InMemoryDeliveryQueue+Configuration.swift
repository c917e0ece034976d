extension InMemoryDeliveryQueue {
    /// Limits of the in-memory queue; the same knobs the Redis queue has.
    public struct Configuration: Hashable, Sendable {
        /// A unit recovered from expired leases more often than this is dead-lettered as a poison pill.
        public var maxRecoveries: Int
        /// The dead-letter list keeps at most this many entries (oldest dropped first).
        public var deadLetterLimit: Int
        /// Dead letters older than this are dropped.
        public var deadLetterMaxAge: Duration

        public init(
            maxRecoveries: Int = 3, deadLetterLimit: Int = 10_000, deadLetterMaxAge: Duration = .seconds(7 * 24 * 3600)
        ) {
            self.maxRecoveries = maxRecoveries
            self.deadLetterLimit = deadLetterLimit
            self.deadLetterMaxAge = deadLetterMaxAge
        }
    }
}
