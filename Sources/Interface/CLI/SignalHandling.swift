import Dispatch
import Foundation

/// Runs `operation` until it returns or the process gets SIGTERM or SIGINT; a signal cancels it, so
/// it can stop taking work and finish what is in flight.
func runUntilSignalled(_ operation: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task { try await operation() }
    let sources = [SIGTERM, SIGINT].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            printError("herald: received \(number == SIGTERM ? "SIGTERM" : "SIGINT"); stopping gracefully")
            task.cancel()
        }
        source.resume()
        return source
    }
    defer { sources.forEach { $0.cancel() } }
    try await task.value
}
