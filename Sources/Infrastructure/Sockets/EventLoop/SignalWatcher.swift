import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write end of the pipe the signal handler writes signal numbers to (set once, before any handler).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// What the process's signal handler does: write the signal's number to the pipe (async-signal-safe).
private func forwardSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriteEnd, &byte, 1)
}

/// Delivers process signals (SIGTERM, SIGINT) to a handler on an event loop, through a self-pipe the
/// signal handler writes to: no thread of its own and nothing done inside the handler but a `write`.
package final class SignalWatcher: EventLoopHandler, @unchecked Sendable {
    private let pipe: WakeupPipe
    private let loop: EventLoop
    private let handler: @Sendable (Int32) -> Void
    private static let installed = Mutex(false)

    /// Installs handlers for `signals` (once per process) and calls `handler` on `loop` for each one received.
    /// - Throws: ``SocketError`` when the pipe cannot be made, or when signals are already being watched.
    package init(_ signals: [Int32], on loop: EventLoop, handler: @escaping @Sendable (Int32) -> Void) throws(SocketError) {
        let first = Self.installed.withLock { installed in
            defer { installed = true }
            return !installed
        }
        guard first else { throw SocketError("sigaction", errno: EBUSY, detail: "signals are already watched") }
        pipe = try WakeupPipe()
        self.loop = loop
        self.handler = handler
        signalPipeWriteEnd = pipe.writeEnd
        for number in signals {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = forwardSignal
            #else
                action.__sigaction_u.__sa_handler = forwardSignal
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(number, &action, nil)
        }
        let readEnd = pipe.readEnd
        loop.execute { [self] in _ = try? loop.register(readEnd, interest: .readable, handler: self) }
    }

    package func handle(_ readiness: Readiness) {
        var numbers = [UInt8](repeating: 0, count: 16)
        while true {
            let count = read(pipe.readEnd, &numbers, numbers.count)
            guard count > 0 else { return }
            for number in numbers[0..<count] { handler(Int32(number)) }
        }
    }
}
