import Foundation
import Herald

/// Seeds `backlog` queued notifications into one Redis prefix through Herald's own accept (so the layout is
/// whatever the queue writes today), then measures accept at 64 callers and drain at the empty queue's best
/// loop count from `empty`, each right after the same measure on a fresh, empty prefix, so the two compared
/// rates are minutes closer than the throughput table's.
func measureBacklog(redisURL: String, backlog: Int, total: Int, empty: ThroughputRates, figures: Figures) async throws {
    let loops = empty.bestDrainConcurrency
    let emptyChannel = CountingChannel()
    let emptyQueue = try Herald(
        configuration: benchmarkConfiguration(redisURL: redisURL, workers: loops), channels: ["slack": emptyChannel])
    let emptyAccept = perSecond(total, in: try await measureAccept(emptyQueue, total: total, concurrency: 64))
    let emptyDrain = perSecond(total, in: try await measureDrain(emptyQueue, channel: emptyChannel, count: total))
    emptyQueue.shutdown()

    let channel = CountingChannel()
    let herald = try Herald(
        configuration: benchmarkConfiguration(redisURL: redisURL, workers: loops), channels: ["slack": channel])
    defer { herald.shutdown() }
    let seeding = try await measureAccept(herald, total: backlog, concurrency: 128)
    let queued = try await herald.queueDepth().ready
    guard queued >= backlog else { throw UsageFailure("seeded \(backlog) notifications but \(queued) are ready") }
    let accept = perSecond(total, in: try await measureAccept(herald, total: total, concurrency: 64))
    let drain = perSecond(total, in: try await measureDrain(herald, channel: channel, count: total))
    for (name, value) in [
        ("backlog.queued", queued), ("backlog.seed_rate", perSecond(backlog, in: seeding)), ("backlog.accept.64", accept),
        ("backlog.drain", drain), ("backlog.drain_loops", loops), ("backlog.empty_accept.64", emptyAccept),
        ("backlog.empty_drain", emptyDrain),
    ] { figures.record(name, Double(value)) }
    print("Seeded \(grouped(backlog)) notifications through `Herald.send` (128 callers) at \(grouped(perSecond(backlog, in: seeding)))/s.")
    print()
    print("| Redis, \(grouped(queued)) queued | empty queue (measured just before), /s | with the backlog, /s | ratio |")
    print("|---|---|---|---|")
    print("| accept, 64 callers | \(grouped(emptyAccept)) | \(grouped(accept)) | \(ratio(accept, emptyAccept)) |")
    print("| reserve → sent (drain), \(loops) loops | \(grouped(emptyDrain)) | \(grouped(drain)) | \(ratio(drain, emptyDrain)) |")
}

/// `measured / reference` with two decimals, or `–` without a reference.
func ratio(_ measured: Int, _ reference: Int) -> String {
    reference > 0 ? String(format: "%.2f", Double(measured) / Double(reference)) : "–"
}
