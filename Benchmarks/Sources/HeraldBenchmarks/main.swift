import Foundation
import Herald
import Synchronization

/// A channel that only counts, so the benchmark measures Herald rather than a provider.
final class CountingChannel: NotificationChannel {
    private let state = Mutex<(count: Int, target: Int, done: CheckedContinuation<Void, Never>?)>((0, .max, nil))

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let done = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count >= state.target, let done = state.done else { return nil }
            state.done = nil
            return done
        }
        done?.resume()
        return .sent
    }

    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                guard state.count < target else { return true }
                state.target = target
                state.done = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

/// Sends `total` notifications from `concurrency` concurrent callers; returns the elapsed time.
func measureAccept(_ herald: Herald, total: Int, concurrency: Int) async throws -> Duration {
    let request = NotificationRequest(topic: "sales", message: "Customer needs help")
    let clock = ContinuousClock()
    return try await clock.measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<concurrency {
                group.addTask {
                    for _ in stride(from: caller, to: total, by: concurrency) { _ = try await herald.send(request) }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Measures accept and drain throughput on one queue kind; prints Markdown table rows.
func run(queue kind: String, redisURL: String?, total: Int) async throws {
    for concurrency in [1, 16, 64] {
        let herald = try await Herald.make(
            configuration: configuration(kind: kind, redisURL: redisURL, workers: 1), channels: ["slack": CountingChannel()])
        let accept = try await measureAccept(herald, total: total, concurrency: concurrency)
        herald.shutdown()
        print("| \(kind) | accept (send → queued) | \(concurrency) callers | \(Int(Double(total) / seconds(accept))) |")
    }
    for concurrency in [1, 16, 64] {
        let channel = CountingChannel()
        let herald = try await Herald.make(
            configuration: configuration(kind: kind, redisURL: redisURL, workers: concurrency), channels: ["slack": channel])
        _ = try await measureAccept(herald, total: total, concurrency: 16)
        let drain = try await ContinuousClock().measure {
            let workers = Task { try await herald.runWorkers() }
            await channel.wait(for: total)
            workers.cancel()
            try await workers.value
        }
        herald.shutdown()
        print("| \(kind) | worker drain (queued → sent) | \(concurrency) workers | \(Int(Double(total) / seconds(drain))) |")
    }
}

/// A channel that rejects every message, so each delivery ends dead-lettered.
struct RejectingChannel: NotificationChannel {
    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome { .failed(reason: "rejected (benchmark)") }
}

/// Times `POST /retry`'s use case on a Redis queue whose dead letters were seeded beforehand (key prefix
/// `deadbench`): each round dead-letters one delivery, then retries it; prints the median and worst retry.
func measureRetry(redisURL: String, seeded: Int, rounds: Int = 50) async throws {
    var settings = configuration(kind: "redis", redisURL: redisURL, workers: 1)
    settings.queue.keyPrefix = "deadbench"
    settings.queue.deadLetterMaxCount = 2 * seeded
    let herald = try await Herald.make(configuration: settings, channels: ["slack": RejectingChannel()])
    let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "retry me"))
    var timings: [Double] = []
    for _ in 0..<rounds {
        try await herald.worker.drain()
        let elapsed = try await ContinuousClock().measure { _ = try await herald.retry(receipt.id) }
        timings.append(seconds(elapsed) * 1000)
    }
    herald.shutdown()
    timings.sort()
    let median = timings[timings.count / 2]
    print("| retry one notification, \(seeded) other dead letters | \(String(format: "%.2f", median)) ms median, "
        + "\(String(format: "%.2f", timings.last ?? 0)) ms worst of \(rounds) |")
}

func configuration(kind: String, redisURL: String?, workers: Int) -> HeraldConfiguration {
    var configuration = HeraldConfiguration.embeddedDefault
    configuration.workers.concurrency = workers
    if kind == "redis", let redisURL {
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(redisURL)
        configuration.queue.keyPrefix = "bench-\(NotificationID.generate().rawValue.suffix(8))"
        configuration.queue.recordRetention = .seconds(600)
    }
    return configuration
}

let arguments = Array(CommandLine.arguments.dropFirst())
let total = arguments.first.flatMap(Int.init) ?? 20_000
let redisURL = arguments.count > 1 ? arguments[1] : nil
print("Herald benchmarks: \(total) notifications per run, \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("| queue | measure | concurrency | notifications/s |")
print("|---|---|---|---|")
try await run(queue: "memory", redisURL: nil, total: total)
if redisURL != nil { try await run(queue: "redis", redisURL: redisURL, total: total) }
if let redisURL, arguments.count > 2, let seeded = Int(arguments[2]) {
    print()
    print("| dead letters (Redis) | time |")
    print("|---|---|")
    try await measureRetry(redisURL: redisURL, seeded: seeded)
}
