import Foundation
import Herald
import HeraldHTTP

/// `herald serve`: the HTTP API and, unless `--no-workers`, in-process workers.
enum ServeCommand: Subcommand {
    static let name = "serve"
    static let summary = "serve the HTTP API (and run workers unless --no-workers)"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald serve [--no-workers] [--config PATH]

        Serves the HTTP API on http.host:http.port (HERALD_HOST, HERALD_PORT) and prints
        "listening on http://HOST:PORT" once it accepts connections. Runs workers.concurrency
        in-process workers too, unless --no-workers (then run `herald worker` processes on Redis).
        On SIGTERM or SIGINT it stops accepting, answers the requests in flight, lets deliveries
        finish (or returns them to the queue) and exits 0. Logs one logfmt line per event on stderr.
        Refuses a non-loopback http.host without http.api_keys, unless http.allow_unauthenticated
        is true (then it warns at start).
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags(["no-workers"])
        let configuration = try arguments.loadConfiguration()
        if arguments.flags.contains("no-workers"), configuration.queue.kind == .memory {
            throw UsageError(
                "--no-workers needs the Redis queue (queue.kind \"redis\" or HERALD_REDIS_URL): with the memory queue "
                    + "nothing else could deliver what this process accepts")
        }
        try configuration.http.requireKeysBeyondLoopback()
        let log = StandardErrorLogSink()
        if configuration.http.isOpenBeyondLoopback {
            log.log(LogEntry(
                .warning, "serving the API without API keys on a non-loopback address (http.allow_unauthenticated)",
                metadata: ["host": configuration.http.host]))
        }
        let roles: Herald.Roles = arguments.flags.contains("no-workers") ? [.server] : [.server, .workers]
        let herald = try Herald(configuration: configuration, logger: log, roles: roles)
        try await runUntilSignalled(stop: herald.stop) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await herald.run() }
                if let port = try? await herald.listeningPort() {
                    print("listening on http://\(configuration.http.host):\(port)")
                    fflush(nil)
                }
                try await group.waitForAll()
            }
        }
        return 0
    }
}
