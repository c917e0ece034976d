public import Foundation
import Synchronization

/// A process started by a test, whose standard output and error are collected line by line as they arrive.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this wrapper only reads its status and sends signals.
    /// Splits the output into lines as it arrives.
    private final class LineCollector: Sendable {
        private let state = Mutex<(lines: [String], partial: String)>(([], ""))

        func append(_ text: String) {
            state.withLock { state in
                state.partial += text
                var parts = state.partial.components(separatedBy: "\n")
                state.partial = parts.removeLast()
                state.lines.append(contentsOf: parts)
            }
        }

        var lines: [String] { state.withLock { $0.lines } }
    }

    private let process: Process
    private let collector = LineCollector()

    /// Starts `executable` with `arguments` and `environment` (added to PATH only).
    public init(_ executable: URL, arguments: [String] = [], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { first, _ in first }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        self.process = process
        try process.run()
        let reader = output.fileHandleForReading
        let collector = self.collector
        let thread = Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                collector.append(String(decoding: data, as: UTF8.self))
            }
        }
        thread.name = "child-process-output"
        thread.start()
    }

    /// The executable SwiftPM built next to the running test bundle.
    public static func builtProduct(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The complete lines printed so far.
    public var output: [String] { collector.lines }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var terminationStatus: Int32 { process.terminationStatus }

    /// Waits (polling every 20 ms) until `condition` holds for the output, or `timeout` passes.
    public func waitForOutput(timeout: Duration = .seconds(20), _ condition: ([String]) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(output) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(output)
    }

    /// Waits (polling every 20 ms) for the process to exit by itself; its exit status, or nil after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    /// Sends `signal` and waits for the process to exit; SIGKILL after 5 s. A child spawned from a Dispatch
    /// worker inherits that thread's blocked signals, so a polite signal alone may never arrive.
    public func stop(signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        if !waitUntilGone(within: .seconds(5)) {
            kill(process.processIdentifier, SIGKILL)
            _ = waitUntilGone(within: .seconds(5))
        }
    }

    /// Polls for the exit (Foundation's `waitUntilExit` spins a run loop at full CPU off the main thread).
    private func waitUntilGone(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = waitUntilGone(within: .seconds(5))
        }
    }
}
