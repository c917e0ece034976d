import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed set of event loops, handed out in turn, so sockets spread over the machine's cores.
package final class EventLoopGroup: Sendable {
    package let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Starts `count` loops named `<name>-<n>`.
    package init(count: Int, name: String = "herald-loop") throws(SocketError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, count) {
            do throws(SocketError) {
                loops.append(try EventLoop(name: "\(name)-\(index)"))
            } catch {
                for started in loops { started.stop() }
                throw error
            }
        }
        self.loops = loops
    }

    /// The next loop in turn.
    package func next() -> EventLoop {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// One loop per two cores, at least one: the loops only move and parse bytes, while handlers and
    /// deliveries run on the cooperative pool (a thread per core), so more loops would only add threads.
    package static var defaultLoopCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) / 2)
    }

    /// The loops every socket of this process is served on by default (``defaultLoopCount``), started on first
    /// use and kept for the life of the process (a few kilobytes each when idle).
    /// - Throws: ``SocketError`` when a loop cannot be started (out of descriptors or threads); a later
    ///   call tries again.
    package static func shared() throws(SocketError) -> EventLoopGroup {
        try sharedGroup.withLock { group throws(SocketError) in
            if let group { return group }
            let started = try EventLoopGroup(count: defaultLoopCount)
            group = started
            return started
        }
    }

    private static let sharedGroup = Mutex<EventLoopGroup?>(nil)
}
