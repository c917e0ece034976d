extension RedisDeliveryQueue {
    /// The Redis queue's knobs.
    public struct Configuration: Hashable, Sendable {
        /// The prefix of every key (inside the `{…}` hash tag).
        public var keyPrefix: String
        /// How long notification records are kept after acceptance.
        public var retention: Duration
        /// A unit recovered from expired leases more often than this is dead-lettered as a poison pill.
        public var maxRecoveries: Int
        /// The dead-letter list keeps at most this many entries.
        public var deadLetterLimit: Int
        /// Dead letters older than this are dropped.
        public var deadLetterMaxAge: Duration
        /// The longest single `BLMOVE` wait; a reserve waiting longer loops, re-checking due retries.
        public var maxBlockingWait: Duration

        public init(
            keyPrefix: String = "herald", retention: Duration = .seconds(7 * 24 * 3600), maxRecoveries: Int = 3,
            deadLetterLimit: Int = 10_000, deadLetterMaxAge: Duration = .seconds(7 * 24 * 3600),
            maxBlockingWait: Duration = .seconds(1)
        ) {
            self.keyPrefix = keyPrefix
            self.retention = retention
            self.maxRecoveries = maxRecoveries
            self.deadLetterLimit = deadLetterLimit
            self.deadLetterMaxAge = deadLetterMaxAge
            self.maxBlockingWait = maxBlockingWait
        }
    }
}
