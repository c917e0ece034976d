extension HeraldWorker {
    /// How a worker runs.
    public struct Configuration: Hashable, Sendable {
        /// Names this worker's leases.
        public var id: WorkerID
        /// How many deliveries run at once.
        public var concurrency: Int
        /// How long a reserved unit stays invisible to other workers (`queue.visibility_timeout_s`).
        public var lease: Duration
        /// How long one reserve call waits for work before checking for shutdown again.
        public var reserveWait: Duration
        /// How long in-flight deliveries may run after shutdown begins before they are cancelled and
        /// returned to the queue (`workers.shutdown_timeout_s`).
        public var shutdownTimeout: Duration
        /// How often expired leases are recovered.
        public var recoveryInterval: Duration
        /// How long to wait before reserving again after the queue was unreachable.
        public var unavailableBackoff: Duration

        public init(
            id: WorkerID = .generate(),
            concurrency: Int = 8,
            lease: Duration = .seconds(60),
            reserveWait: Duration = .seconds(1),
            shutdownTimeout: Duration = .seconds(8),
            recoveryInterval: Duration? = nil,
            unavailableBackoff: Duration = .seconds(1)
        ) {
            self.id = id
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.reserveWait = reserveWait
            self.shutdownTimeout = shutdownTimeout
            self.recoveryInterval = recoveryInterval ?? max(lease / 4, .milliseconds(100))
            self.unavailableBackoff = unavailableBackoff
        }
    }
}
