import Herald

/// `herald worker`: delivers queued notifications from the Redis queue until SIGTERM or SIGINT.
enum WorkerCommand: Subcommand {
    static let name = "worker"
    static let summary = "deliver notifications from the Redis queue (no HTTP API)"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald worker [--config PATH]

        Runs workers.concurrency deliveries at a time from the Redis queue (queue.kind "redis" or
        HERALD_REDIS_URL) until SIGTERM or SIGINT. On a signal it stops reserving, lets in-flight
        deliveries finish for up to workers.shutdown_timeout_s, returns the rest to the head of the
        queue, and exits 0. Run as many workers, on as many machines, as you like.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        let configuration = try arguments.loadConfiguration()
        guard configuration.queue.kind == .redis else {
            throw UsageError(
                "herald worker needs the Redis queue (queue.kind \"redis\" or HERALD_REDIS_URL): a memory queue "
                    + "lives inside one process")
        }
        let herald = try Herald(configuration: configuration, logger: StandardErrorLogSink())
        try await runUntilSignalled(stop: herald.stop) { try await herald.run() }
        return 0
    }
}
