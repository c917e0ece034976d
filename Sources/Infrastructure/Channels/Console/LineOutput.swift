import HeraldSockets

/// Where console output goes: standard output by default, or a closure (tests, hosts).
public struct LineOutput: Sendable {
    private let write: @Sendable (String) async -> Void

    /// Writes each line through `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = { line in write(line) }
    }

    private init(waitingFor write: @escaping @Sendable (String) async -> Void) {
        self.write = write
    }

    /// Writes lines to standard output from a writer thread, whole, so they never interleave; lines from
    /// many deliveries at once share one `write(2)`. Standard output's own buffer (`print`) is flushed
    /// first, so a host's earlier output stays ahead. A line counts as written once the kernel has it.
    public static let standardOutput = LineOutput(waitingFor: { line in
        await BatchedDescriptorWriter.standardOutput.writeAndWait(line)
    })

    /// Writes lines to standard error, the same way.
    public static let standardError = LineOutput(waitingFor: { line in
        await BatchedDescriptorWriter.standardError.writeAndWait(line)
    })

    /// Writes one line (without its newline).
    public func callAsFunction(_ line: String) async { await write(line) }
}
