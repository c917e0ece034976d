import Foundation
import Herald

/// Times `POST /retry`'s use case on a Redis queue whose dead letters `scripts/bench` seeded beforehand (key
/// prefix `deadbench`): each round dead-letters one delivery, then retries it; prints the median and worst.
/// Says so instead, and measures nothing, when Herald does not see the seeded letters (a changed key layout).
func measureRetry(redisURL: String, seeded: Int, figures: Figures, rounds: Int = 50) async throws {
    var settings = benchmarkConfiguration(redisURL: redisURL, workers: 1, prefix: "deadbench")
    settings.queue.deadLetterMaxCount = 2 * seeded
    let herald = try Herald(configuration: settings, channels: ["slack": RejectingChannel()])
    defer { herald.shutdown() }
    let seen = try await herald.queueDepth().dead
    guard seen >= seeded else {
        print("| retry among \(grouped(seeded)) seeded dead letters | not measured: Herald sees \(grouped(seen)) of them "
            + "(the seed in scripts/bench no longer matches the key layout) |")
        return
    }
    let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "retry me"))
    var timings: [Double] = []
    for _ in 0..<rounds {
        try await herald.worker.drain()
        let elapsed = try await ContinuousClock().measure { _ = try await herald.retry(receipt.id) }
        timings.append(seconds(elapsed) * 1000)
    }
    timings.sort()
    let median = timings[timings.count / 2]
    figures.record("deadletters.retry_median_ms", median)
    print("| retry one notification, \(grouped(seeded)) other dead letters | \(String(format: "%.2f", median)) ms median, "
        + "\(String(format: "%.2f", timings.last ?? 0)) ms worst of \(rounds) |")
}
