import Herald

/// The concurrencies every throughput figure is measured at.
let concurrencies = [1, 16, 64]

/// Sends `total` notifications from `concurrency` concurrent callers; returns the elapsed time.
func measureAccept(_ herald: Herald, total: Int, concurrency: Int) async throws -> Duration {
    let request = NotificationRequest(topic: "sales", message: "Customer needs help")
    return try await ContinuousClock().measure {
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

/// Runs `herald`'s workers until `channel` has sent `count` more messages; returns the elapsed time.
func measureDrain(_ herald: Herald, channel: CountingChannel, count: Int) async throws -> Duration {
    try await ContinuousClock().measure {
        let workers = Task { try await herald.run() }
        await channel.wait(for: count)
        workers.cancel()
        try await workers.value
    }
}

/// Accept and drain rates (per second) of one queue kind, by concurrency.
struct ThroughputRates {
    var accept: [Int: Int] = [:]
    var drain: [Int: Int] = [:]

    /// The drain concurrency with the highest rate.
    var bestDrainConcurrency: Int { drain.max { $0.value < $1.value }?.key ?? 16 }
}

/// Measures accept (each concurrency on a fresh, empty queue) and drain (the queue filled with `total`, then
/// emptied by that many worker loops) on the memory queue or on Redis; prints two Markdown rows.
func measureThroughput(kind: String, redisURL: String?, total: Int, figures: Figures) async throws -> ThroughputRates {
    var rates = ThroughputRates()
    for concurrency in concurrencies {
        let herald = try Herald(
            configuration: benchmarkConfiguration(redisURL: redisURL, workers: 1), channels: ["slack": CountingChannel()])
        rates.accept[concurrency] = perSecond(total, in: try await measureAccept(herald, total: total, concurrency: concurrency))
        herald.shutdown()
    }
    for concurrency in concurrencies {
        let channel = CountingChannel()
        let herald = try Herald(
            configuration: benchmarkConfiguration(redisURL: redisURL, workers: concurrency), channels: ["slack": channel])
        _ = try await measureAccept(herald, total: total, concurrency: 16)
        rates.drain[concurrency] = perSecond(total, in: try await measureDrain(herald, channel: channel, count: total))
        herald.shutdown()
    }
    for (measure, byConcurrency) in [("accept", rates.accept), ("drain", rates.drain)] {
        let cells = concurrencies.map { grouped(byConcurrency[$0] ?? 0) }.joined(separator: " | ")
        let label = measure == "accept" ? "accept (send → queued), /s" : "worker drain (queued → sent), /s"
        print("| \(kind) | \(label) | \(cells) |")
        for concurrency in concurrencies {
            figures.record("\(kind).\(measure).\(concurrency)", Double(byConcurrency[concurrency] ?? 0))
        }
    }
    return rates
}
