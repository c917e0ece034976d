import Foundation
import Synchronization

/// Where console output goes: standard output by default, or a closure (tests, hosts).
public struct LineOutput: Sendable {
    private let write: @Sendable (String) -> Void

    /// Writes each line through `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Writes lines to standard output through the same buffer as `print`, flushed per line, so they
    /// keep their order with a host's own output and never interleave.
    public static let standardOutput = LineOutput { line in
        print(line)
        fflush(nil)
    }

    /// Writes lines to standard error.
    public static let standardError = LineOutput { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes one line (without its newline).
    public func callAsFunction(_ line: String) { write(line) }
}
