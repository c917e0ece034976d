public import Foundation

/// Runs a short command to completion (openssl, a Python check): its standard output, or an error that
/// quotes its standard error when it exits non-zero.
public enum OneShotCommand {
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        // Standard error is read on its own thread so that neither pipe can fill up and stall the command.
        let errorText = ErrorText()
        let reader = Thread { errorText.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let command = ([executable] + arguments.prefix(2)).joined(separator: " ")
            throw TestServerError("\(command) exited \(process.terminationStatus): \(errorText.wait())")
        }
        return data
    }

    private final class ErrorText: @unchecked Sendable {
        // @unchecked: `data` is written once by the reader thread before `done` is signalled, read after.
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        func set(_ data: Data) {
            self.data = data
            done.signal()
        }

        func wait() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
