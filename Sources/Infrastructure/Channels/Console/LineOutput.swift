import Foundation
import Synchronization

/// Where console output goes: standard output by default, or a closure (tests, hosts).
public struct LineOutput: Sendable {
    private let write: @Sendable (String) -> Void

    /// Writes each line through `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Writes lines to standard output, one `write` per line so concurrent lines never interleave.
    public static let standardOutput = LineOutput { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes lines to standard error.
    public static let standardError = LineOutput { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes one line (without its newline).
    public func callAsFunction(_ line: String) { write(line) }
}
