import Foundation
import Herald

/// `herald worker`: delivers queued notifications from the Redis queue until SIGTERM or SIGINT.
enum WorkerCommand: Subcommand {
    static let name = "worker"
    static let summary = "deliver notifications from the Redis queue (no HTTP API)"
    static let valueOptions: Set<String> = ["metrics-port"]
    static let help = """
        Usage: herald worker [--metrics-port PORT] [--config PATH]

        Runs workers.concurrency deliveries at a time from the Redis queue (queue.kind "redis" or
        HERALD_REDIS_URL) until SIGTERM or SIGINT. On a signal it stops reserving, lets in-flight
        deliveries finish for up to workers.shutdown_timeout_s, returns the rest to the head of the
        queue, and exits 0. Run as many workers, on as many machines, as you like.

        --metrics-port PORT serves GET /metrics (this process's counters and the queue's depth),
        /healthz and /readyz on http.host:PORT (and nothing else), so a Prometheus scrape of every
        process covers every counter. The http section's host, limits and API keys apply.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        var configuration = try arguments.loadConfiguration()
        guard configuration.queue.kind == .redis else {
            throw UsageError(
                "herald worker needs the Redis queue (queue.kind \"redis\" or HERALD_REDIS_URL): a memory queue "
                    + "lives inside one process")
        }
        var roles: Herald.Roles = .workers
        if let text = arguments.value("metrics-port") {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw UsageError("--metrics-port must be a port number, 0 to 65535")
            }
            configuration.http.port = port
            try configuration.http.requireKeysBeyondLoopback()
            roles.insert(.metrics)
        }
        let herald = try Herald(configuration: configuration, logger: StandardErrorLogSink(), roles: roles)
        let (servesMetrics, host) = (roles.contains(.metrics), configuration.http.host)
        try await runUntilSignalled(stop: herald.stop) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await herald.run() }
                if servesMetrics, let port = try? await herald.listeningPort() {
                    print("metrics on http://\(host):\(port)/metrics")
                    fflush(nil)
                }
                try await group.waitForAll()
            }
        }
        return 0
    }
}
