// A worker process for crash tests: runs Herald's workers on Redis with a slow channel that prints
// "start <delivery id>" and "sent <delivery id>" around each send, until SIGTERM (or SIGKILL).
import Dispatch
import Foundation
import Herald

struct SlowPrintingChannel: NotificationChannel {
    let delay: Duration

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        print("start \(message.deliveryID)")
        fflush(nil)
        try await Task.sleep(for: delay)
        print("sent \(message.deliveryID)")
        fflush(nil)
        return .sent
    }
}

/// Nonisolated, so the signal handler may run on a Dispatch queue (top-level code is main-actor isolated).
enum WorkerProcess {
    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0")
        configuration.queue.keyPrefix = environment["KEY_PREFIX"] ?? "herald"
        configuration.queue.partitions = Int(environment["PARTITIONS"] ?? "1") ?? 1
        configuration.queue.visibilityTimeout = .seconds(Int(environment["VISIBILITY_S"] ?? "2") ?? 2)
        configuration.workers.concurrency = Int(environment["CONCURRENCY"] ?? "4") ?? 4
        configuration.workers.shutdownTimeout = .seconds(Int(environment["SHUTDOWN_S"] ?? "8") ?? 8)
        let channel = SlowPrintingChannel(delay: .milliseconds(Int(environment["DELAY_MS"] ?? "0") ?? 0))
        let herald = try Herald(
            configuration: configuration, channels: ["slack": channel, "email": channel, "sms": channel])
        signal(SIGTERM, SIG_IGN)
        let termination = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        termination.setEventHandler { herald.stop() }
        termination.resume()
        print("ready")
        fflush(nil)
        try await herald.run()
    }
}

try await WorkerProcess.run()
