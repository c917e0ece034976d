import Foundation
import HeraldSockets

/// Runs `operation` until it returns or the process gets SIGTERM or SIGINT; a signal cancels it, so
/// it can stop taking work and finish what is in flight. Signals arrive on an event loop (no thread of
/// their own).
func runUntilSignalled(_ operation: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task { try await operation() }
    let loop = try EventLoopGroup.shared().next()
    let watcher = try SignalWatcher([SIGTERM, SIGINT], on: loop) { number in
        printError("herald: received \(number == SIGTERM ? "SIGTERM" : "SIGINT"); stopping gracefully")
        task.cancel()
    }
    defer { withExtendedLifetime(watcher) {} }
    try await task.value
}
