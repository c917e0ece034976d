import Foundation
import Herald

/// Seeds `backlog` queued notifications into one Redis prefix through Herald's own accept (so the layout is
/// whatever the queue writes today), then measures accept at 64 callers and drain at the empty queue's best
/// concurrency with that backlog present, beside the empty-queue rates `empty` of the same run.
func measureBacklog(redisURL: String, backlog: Int, total: Int, empty: ThroughputRates, figures: Figures) async throws {
    let loops = empty.bestDrainConcurrency
    let channel = CountingChannel()
    let herald = try await Herald.make(
        configuration: benchmarkConfiguration(redisURL: redisURL, workers: loops), channels: ["slack": channel])
    defer { herald.shutdown() }
    let seeding = try await measureAccept(herald, total: backlog, concurrency: 128)
    let queued = try await herald.queue.depth().ready
    guard queued >= backlog else { throw UsageFailure("seeded \(backlog) notifications but \(queued) are ready") }
    let accept = perSecond(total, in: try await measureAccept(herald, total: total, concurrency: 64))
    let drain = perSecond(total, in: try await measureDrain(herald, channel: channel, count: total))
    let emptyAccept = empty.accept[64] ?? 0
    let emptyDrain = empty.drain[loops] ?? 0
    figures.record("backlog.queued", Double(queued))
    figures.record("backlog.seed_rate", Double(perSecond(backlog, in: seeding)))
    figures.record("backlog.accept.64", Double(accept))
    figures.record("backlog.drain", Double(drain))
    figures.record("backlog.drain_loops", Double(loops))
    print("Seeded \(grouped(backlog)) notifications through `Herald.send` (128 callers) at \(grouped(perSecond(backlog, in: seeding)))/s.")
    print()
    print("| Redis, \(grouped(queued)) queued | empty queue, /s | with the backlog, /s | ratio |")
    print("|---|---|---|---|")
    print("| accept, 64 callers | \(grouped(emptyAccept)) | \(grouped(accept)) | \(ratio(accept, emptyAccept)) |")
    print("| reserve → sent (drain), \(loops) loops | \(grouped(emptyDrain)) | \(grouped(drain)) | \(ratio(drain, emptyDrain)) |")
}

/// `measured / reference` with two decimals, or `–` without a reference.
func ratio(_ measured: Int, _ reference: Int) -> String {
    reference > 0 ? String(format: "%.2f", Double(measured) / Double(reference)) : "–"
}
