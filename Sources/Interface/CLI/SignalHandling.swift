import Foundation
import HeraldSockets

/// Runs `operation` until it returns; SIGTERM or SIGINT calls `stop` (a graceful stop: take no more work,
/// finish what is in flight). Signals arrive on an event loop (no thread of their own).
func runUntilSignalled(
    stop: @escaping @Sendable () -> Void, _ operation: @escaping @Sendable () async throws -> Void
) async throws {
    let task = Task { try await operation() }
    let loop = try EventLoopGroup.shared().next()
    let watcher = try SignalWatcher([SIGTERM, SIGINT], on: loop) { number in
        printError("herald: received \(number == SIGTERM ? "SIGTERM" : "SIGINT"); stopping gracefully")
        stop()
    }
    defer { withExtendedLifetime(watcher) {} }
    try await task.value
}
