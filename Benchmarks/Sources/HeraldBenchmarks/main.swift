import Foundation
import Herald

/// `HeraldBenchmarks throughput --total N [--redis URL] [--dead N] [--backlog N] [--figures PATH]`: accept and
/// drain rates on the memory queue and on Redis, a retry among `--dead` seeded dead letters, and the rates with
/// `--backlog` notifications queued.
/// `HeraldBenchmarks worker-memory --herald PATH --redis URL --total N [--figures PATH]`: `herald worker`'s
/// peak resident set while it drains `--total` notifications.
func runBenchmarks(_ arguments: BenchmarkArguments) async throws {
    let figures = Figures(path: arguments.string("figures"))
    let total = try arguments.integer("total", default: 20_000)
    switch arguments.mode {
    case "throughput":
        let redisURL = arguments.string("redis")
        print("Herald benchmarks: \(grouped(total)) notifications per run, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print()
        print("| queue | measure | 1 | 16 | 64 |")
        print("|---|---|---|---|---|")
        _ = try await measureThroughput(kind: "memory", redisURL: nil, total: total, figures: figures)
        guard let redisURL else { return }
        let redis = try await measureThroughput(kind: "redis", redisURL: redisURL, total: total, figures: figures)
        let dead = try arguments.integer("dead", default: 0)
        if dead > 0 {
            print()
            print("| dead letters (Redis) | time |")
            print("|---|---|")
            try await measureRetry(redisURL: redisURL, seeded: dead, figures: figures)
        }
        let backlog = try arguments.integer("backlog", default: 0)
        if backlog > 0 {
            print()
            try await measureBacklog(redisURL: redisURL, backlog: backlog, total: total, empty: redis, figures: figures)
        }
    case "worker-memory":
        try await measureWorkerMemory(
            heraldPath: try arguments.required("herald"), redisURL: try arguments.required("redis"), total: total,
            figures: figures)
    default:
        throw UsageFailure("unknown mode \(arguments.mode): throughput or worker-memory")
    }
}

do {
    try await runBenchmarks(try BenchmarkArguments(Array(CommandLine.arguments.dropFirst())))
} catch let failure as UsageFailure {
    FileHandle.standardError.write(Data("HeraldBenchmarks: \(failure)\n".utf8))
    exit(2)
}
