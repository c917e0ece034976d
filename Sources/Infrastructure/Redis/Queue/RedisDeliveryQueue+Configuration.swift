extension RedisDeliveryQueue {
    /// The Redis queue's knobs.
    package struct Configuration: Hashable, Sendable {
        /// The prefix of every key (inside the `{…}` hash tag).
        package var keyPrefix: String
        /// How long a finished notification record is kept after its last change (unfinished ones never expire).
        package var retention: Duration
        /// A unit recovered from expired leases more often than this is dead-lettered as a poison pill.
        package var maxRecoveries: Int
        /// At most this many dead letters are kept (the oldest dropped first).
        package var deadLetterLimit: Int
        /// Dead letters older than this are dropped.
        package var deadLetterMaxAge: Duration
        /// The longest single `BLMOVE` wait; a reserve waiting longer loops, re-checking due retries.
        package var maxBlockingWait: Duration
        /// How long an accept keeps trying when Redis's answer is lost; also each attempt's deadline in Redis's
        /// clock, past which Redis refuses it (so "nothing accepted" is always true when it is said).
        package var acceptTimeout: Duration
        /// How often a worker that must not take new work (it holds a suspect, or must empty to take one) asks again.
        package var isolationPoll: Duration
        /// The most units one reserve script takes for one worker, and the most settles one settle script
        /// carries (`workers.batch`; sized to the worker's concurrency by default): concurrent calls share one.
        package var batch: Int
        /// The most accepts one accept script carries (concurrent accepts share one).
        package var acceptBatch: Int
        /// How many replicas must hold an accept (`WAIT`) before it is answered accepted; 0 does not wait.
        package var minReplicasAck = 0
        /// How long an accept waits for them; past it the accept fails `queue_unavailable`, its record kept.
        package var replicaAckTimeout: Duration = .seconds(1)

        package init(
            keyPrefix: String = "herald", retention: Duration = .seconds(7 * 24 * 3600), maxRecoveries: Int = 3,
            deadLetterLimit: Int = 10_000, deadLetterMaxAge: Duration = .seconds(7 * 24 * 3600),
            maxBlockingWait: Duration = .seconds(1), acceptTimeout: Duration = .seconds(5),
            isolationPoll: Duration = .milliseconds(50), batch: Int = 64, acceptBatch: Int = 128
        ) {
            self.keyPrefix = keyPrefix
            self.retention = retention
            self.maxRecoveries = maxRecoveries
            self.deadLetterLimit = deadLetterLimit
            self.deadLetterMaxAge = deadLetterMaxAge
            self.maxBlockingWait = maxBlockingWait
            self.acceptTimeout = acceptTimeout
            self.isolationPoll = isolationPoll
            self.batch = max(1, batch)
            self.acceptBatch = max(1, acceptBatch)
        }
    }
}
