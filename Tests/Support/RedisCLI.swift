import Foundation

/// `redis-cli -p PORT ARGS…` for tests that set up servers the way an operator would (replication, sentinels, a
/// cluster), and a poll for the state they reach.
public enum RedisCLI {
    /// The command's output, trimmed; empty when redis-cli cannot run.
    public static func run(_ port: Int, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        process.arguments = ["-p", String(port)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func run(_ port: Int, _ arguments: String...) -> String { run(port, arguments) }

    /// Whether `condition` holds within `timeout`, asked every 100 ms.
    public static func eventually(_ timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }
}
