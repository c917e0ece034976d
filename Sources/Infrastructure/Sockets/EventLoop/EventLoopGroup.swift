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
            loops.append(try EventLoop(name: "\(name)-\(index)"))
        }
        self.loops = loops
    }

    /// The next loop in turn.
    package func next() -> EventLoop {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// The loops every socket of this process is served on by default: one per core, started on first
    /// use and kept for the life of the process (a few kilobytes each when idle).
    /// - Throws: ``SocketError`` when a loop cannot be started (out of descriptors or threads); a later
    ///   call tries again.
    package static func shared() throws(SocketError) -> EventLoopGroup {
        try sharedGroup.withLock { group throws(SocketError) in
            if let group { return group }
            let started = try EventLoopGroup(count: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            group = started
            return started
        }
    }

    private static let sharedGroup = Mutex<EventLoopGroup?>(nil)
}
