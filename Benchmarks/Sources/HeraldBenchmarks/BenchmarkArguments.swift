/// `HeraldBenchmarks <mode> --name value ...`: the mode and its options, read once at start.
struct BenchmarkArguments {
    let mode: String
    private let options: [String: String]

    init(_ arguments: [String]) throws {
        guard let mode = arguments.first else { throw UsageFailure("expected a mode: throughput or worker-memory") }
        self.mode = mode
        var options: [String: String] = [:]
        var rest = arguments.dropFirst()
        while let name = rest.popFirst() {
            guard name.hasPrefix("--"), let value = rest.popFirst() else { throw UsageFailure("expected --name value, got \(name)") }
            options[String(name.dropFirst(2))] = value
        }
        self.options = options
    }

    func string(_ name: String) -> String? { options[name] }

    func required(_ name: String) throws -> String {
        guard let value = options[name] else { throw UsageFailure("--\(name) is required for \(mode)") }
        return value
    }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text), value >= 0 else { throw UsageFailure("--\(name) must be a whole number, not \(text)") }
        return value
    }
}

/// A command line the benchmark cannot run; printed, exit status 2.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
