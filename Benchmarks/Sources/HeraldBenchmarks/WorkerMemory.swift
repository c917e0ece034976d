import Foundation
import Herald

/// Queues `total` notifications on Redis (prefix `herald`, what `herald worker` uses with no configuration),
/// then runs the release `herald worker` at `heraldPath` with its defaults (console channels, output
/// discarded) until the queue is empty; prints its peak resident set (`VmHWM`), threads and drain rate.
func measureWorkerMemory(heraldPath: String, redisURL: String, total: Int, figures: Figures) async throws {
    let seeder = try Herald(
        configuration: benchmarkConfiguration(redisURL: redisURL, workers: 1, prefix: "herald"),
        channels: ["slack": CountingChannel()])
    defer { seeder.shutdown() }
    _ = try await measureAccept(seeder, total: total, concurrency: 64)

    let worker = Process()
    worker.executableURL = URL(fileURLWithPath: heraldPath)
    worker.arguments = ["worker"]
    var environment = ProcessInfo.processInfo.environment
    environment["HERALD_CONFIG"] = nil
    environment["HERALD_REDIS_URL"] = redisURL
    worker.environment = environment
    worker.standardOutput = FileHandle.nullDevice
    worker.standardError = FileHandle.nullDevice
    let started = ContinuousClock.now
    try worker.run()
    defer { if worker.isRunning { worker.terminate() } }

    var peakThreads = 0
    var last = ProcessStatus(pid: worker.processIdentifier)
    while true {
        try await Task.sleep(for: .milliseconds(50))
        guard worker.isRunning, let status = ProcessStatus(pid: worker.processIdentifier) else {
            throw UsageFailure("herald worker exited (status \(worker.terminationStatus)) before the queue was empty")
        }
        last = status
        peakThreads = max(peakThreads, status.threads)
        let depth = try await seeder.queue.depth()
        if depth.ready + depth.inFlight + depth.scheduled == 0 { break }
        guard ContinuousClock.now - started < .seconds(600) else { throw UsageFailure("herald worker did not drain in 10 min") }
    }
    let elapsed = ContinuousClock.now - started
    worker.terminate()
    for _ in 0..<300 where worker.isRunning { try await Task.sleep(for: .milliseconds(50)) }
    let peakMiB = Double(last?.peakResidentKiB ?? 0) / 1024
    figures.record("worker.rss_peak_mb", peakMiB)
    figures.record("worker.threads", Double(peakThreads))
    figures.record("worker.rate", Double(perSecond(total, in: elapsed)))
    figures.record("worker.notifications", Double(total))
    print("| `herald worker` (defaults: \(HeraldConfiguration.embeddedDefault.workers.concurrency) loops, console channel) | value |")
    print("|---|---|")
    print("| peak resident set (VmHWM) while draining \(grouped(total)) | \(String(format: "%.1f", peakMiB)) MiB |")
    print("| threads (most seen) | \(peakThreads) |")
    print("| drain rate, start to empty queue | \(grouped(perSecond(total, in: elapsed)))/s |")
}
