public import HeraldDomain

/// Every problem found in one configuration, so `herald check-config` (and start-up) report them all at once
/// instead of one per run. Used by one decoding or validation pass at a time.
final class ConfigurationProblems {
    private(set) var all: [HeraldError] = []

    func record(_ problem: HeraldError) {
        all.append(problem)
    }

    /// Runs `body`; a problem it throws is recorded and nil returned, so decoding goes on with the next part.
    func collect<T>(_ body: () throws(HeraldError) -> T) -> T? {
        do {
            return try body()
        } catch {
            record(error)
            return nil
        }
    }

    /// Throws the problems found, if any: one as it is; several as one `invalid_configuration` listing each
    /// (its `field` is the first one's path and its `underlying` a ``ConfigurationProblemList``).
    func throwIfAny() throws(HeraldError) {
        guard let first = all.first else { return }
        guard all.count > 1 else { throw first }
        throw HeraldError(
            .invalidConfiguration,
            "\(all.count) problems:\n" + all.map { "  " + $0.message }.joined(separator: "\n"),
            field: first.field, underlying: ConfigurationProblemList(problems: all))
    }
}

/// The problems of an invalid configuration, one per path, in the order found: the `underlying` of the error
/// that reports several at once.
public struct ConfigurationProblemList: Error, Sendable {
    public let problems: [HeraldError]
}
