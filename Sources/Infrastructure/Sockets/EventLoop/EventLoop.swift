import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something registered on an ``EventLoop``: told, on the loop's thread, when its descriptor is ready.
package protocol EventLoopHandler: AnyObject {
    func handle(_ readiness: Readiness)
}

/// One thread running a reactor: it waits on epoll (kqueue on macOS) for every registered socket and
/// for its timers, runs the handlers of what is ready, then the work other threads handed it.
///
/// Everything registered on a loop (handlers, timers) is touched only on the loop's thread; other threads
/// reach it through ``execute(_:)``. The loop writes to its wake-up pipe only when it is asleep and no
/// wake-up is already on its way, so work handed over in a burst costs one wake-up, not one each.
/// Nothing here runs on, or blocks, the cooperative thread pool.
package final class EventLoop: @unchecked Sendable {
    private struct Inbox {
        var work: [@Sendable () -> Void] = []
        var isAsleep = false
        var isWakeUpSent = false
        var isStopping = false
    }

    /// The loop's name, which is also its thread's name.
    package let name: String
    private let poller: Poller
    private let wakeup: WakeupPipe
    private let inbox = Mutex(Inbox())
    private let threadID = Mutex<pthread_t?>(nil)

    // Touched on the loop thread only.
    private var handlers: [UInt64: any EventLoopHandler] = [:]
    private var nextToken: UInt64 = 1
    private var timers = TimerHeap()
    private var ready: [Readiness] = []
    /// A buffer every read on this loop may use for the duration of one handler call.
    package let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    private static let wakeupToken: UInt64 = 0

    /// Creates the loop and starts its thread.
    /// - Throws: ``SocketError`` when epoll, the wake-up pipe or the thread cannot be made.
    package init(name: String) throws(SocketError) {
        self.name = name
        poller = try Poller()
        wakeup = try WakeupPipe()
        do throws(SocketError) {
            try poller.add(wakeup.readEnd, token: Self.wakeupToken, interest: .readable)
            try DedicatedThread.start(name: name) { [self] in run() }
        } catch {
            wakeup.closeBothEnds()
            throw error
        }
    }

    /// Whether the caller runs on this loop's thread.
    package var inEventLoop: Bool {
        guard let id = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    /// Runs `work` on the loop's thread, after what is ready now; callable from any thread.
    package func execute(_ work: @escaping @Sendable () -> Void) {
        let mustWake = inbox.withLock { inbox in
            inbox.work.append(work)
            guard inbox.isAsleep, !inbox.isWakeUpSent else { return false }
            inbox.isWakeUpSent = true
            return true
        }
        if mustWake { wakeup.wake() }
    }

    /// Ends the loop's thread after the work handed to it so far; what is still registered is not told.
    /// For a group that failed to start; the shared loops run for the life of the process.
    package func stop() {
        inbox.withLock { $0.isStopping = true }
        wakeup.wake()
    }

    // MARK: - On the loop thread

    /// Registers `handler` for `descriptor`, reporting `interest`; returns the token that names it.
    package func register(
        _ descriptor: Int32, interest: Interest, handler: any EventLoopHandler
    ) throws(SocketError) -> UInt64 {
        let token = nextToken
        nextToken += 1
        try poller.add(descriptor, token: token, interest: interest)
        handlers[token] = handler
        return token
    }

    /// Changes what a registration is told about.
    package func reregister(_ descriptor: Int32, token: UInt64, interest: Interest) throws(SocketError) {
        try poller.modify(descriptor, token: token, interest: interest)
    }

    /// Forgets a registration; call it before closing the descriptor. Readiness already reported for it
    /// in this turn is dropped.
    package func deregister(_ descriptor: Int32, token: UInt64) {
        poller.remove(descriptor)
        handlers[token] = nil
    }

    /// Runs `body` on the loop at `deadline` (or soon after); returns the id ``cancelTimer(_:)`` takes.
    @discardableResult
    package func schedule(at deadline: ContinuousClock.Instant, _ body: @escaping () -> Void) -> UInt64 {
        timers.schedule(at: deadline, body)
    }

    /// Disarms a timer that has not fired.
    package func cancelTimer(_ id: UInt64) {
        timers.cancel(id)
    }

    private func run() {
        threadID.withLock { $0 = pthread_self() }
        while true {
            for body in timers.takeDue(at: .now) { body() }
            let timeout = waitMilliseconds()
            do {
                try poller.wait(milliseconds: timeout, into: &ready)
            } catch {
                // epoll_wait fails only on a broken loop (EBADF, EFAULT): nothing can be served any more.
                fatalError("event loop \(name): \(error)")
            }
            let (work, isStopping) = inbox.withLock { inbox in
                inbox.isAsleep = false
                inbox.isWakeUpSent = false
                defer { inbox.work.removeAll(keepingCapacity: true) }
                return (inbox.work, inbox.isStopping)
            }
            for readiness in ready {
                if readiness.token == Self.wakeupToken {
                    wakeup.drain()
                } else {
                    handlers[readiness.token]?.handle(readiness)
                }
            }
            for body in work { body() }
            if isStopping {
                handlers = [:]
                wakeup.closeBothEnds()
                return
            }
        }
    }

    /// How long the next wait may sleep: 0 when work is waiting, else until the next timer.
    /// Marks the loop asleep, so ``execute(_:)`` wakes it.
    private func waitMilliseconds() -> Int32 {
        let deadline = timers.nextDeadline()
        return inbox.withLock { inbox in
            guard inbox.work.isEmpty else { return 0 }
            inbox.isAsleep = true
            guard let deadline else { return -1 }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return 0 }
            let milliseconds = left.components.seconds * 1000 + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            return Int32(clamping: milliseconds)
        }
    }
}
