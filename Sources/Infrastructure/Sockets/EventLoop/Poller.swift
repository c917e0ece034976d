#if canImport(Glibc)
    import Glibc
    import HeraldSystemC
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a registration waits for: bytes to read, room to write, or both.
package struct Interest: OptionSet, Hashable, Sendable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let readable = Interest(rawValue: 1)
    package static let writable = Interest(rawValue: 2)
}

/// One readiness report from the kernel, for the registration named by `token`.
package struct Readiness: Sendable {
    package var token: UInt64
    package var isReadable: Bool
    package var isWritable: Bool
    /// The peer hung up or the socket has an error; the next read or write tells which.
    package var isClosed: Bool
}

/// The kernel's readiness interface, level-triggered: epoll on Linux, kqueue on macOS. Used by one
/// ``EventLoop`` thread only.
final class Poller {
    private let descriptor: Int32
    private static let capacity = 256
    #if canImport(Glibc)
        private let events = UnsafeMutablePointer<herald_epoll_event>.allocate(capacity: Poller.capacity)
    #else
        private let events = UnsafeMutablePointer<kevent>.allocate(capacity: Poller.capacity)
    #endif

    init() throws(SocketError) {
        #if canImport(Glibc)
            guard let created = try systemCall("epoll_create1", { herald_epoll_create() }) else {
                throw SocketError("epoll_create1", errno: EAGAIN)
            }
        #else
            guard let created = try systemCall("kqueue", { kqueue() }) else { throw SocketError("kqueue", errno: EAGAIN) }
        #endif
        descriptor = created
    }

    deinit {
        _ = close(descriptor)
        events.deallocate()
    }

    /// Starts reporting `interest` on `socket` as `token`.
    func add(_ socket: Int32, token: UInt64, interest: Interest) throws(SocketError) {
        #if canImport(Glibc)
            try systemCall("epoll_ctl") { herald_epoll_control(descriptor, 0, socket, Self.events(interest), token) }
        #else
            try change(socket, token: token, filter: EVFILT_READ, enable: interest.contains(.readable), adding: true)
            try change(socket, token: token, filter: EVFILT_WRITE, enable: interest.contains(.writable), adding: true)
        #endif
    }

    /// Changes what is reported on `socket`.
    func modify(_ socket: Int32, token: UInt64, interest: Interest) throws(SocketError) {
        #if canImport(Glibc)
            try systemCall("epoll_ctl") { herald_epoll_control(descriptor, 1, socket, Self.events(interest), token) }
        #else
            try change(socket, token: token, filter: EVFILT_READ, enable: interest.contains(.readable), adding: false)
            try change(socket, token: token, filter: EVFILT_WRITE, enable: interest.contains(.writable), adding: false)
        #endif
    }

    /// Stops reporting on `socket`; called before it is closed.
    func remove(_ socket: Int32) {
        #if canImport(Glibc)
            _ = herald_epoll_control(descriptor, 2, socket, 0, 0)
        #else
            for filter in [EVFILT_READ, EVFILT_WRITE] {
                var change = kevent(
                    ident: UInt(socket), filter: Int16(filter), flags: UInt16(EV_DELETE), fflags: 0, data: 0, udata: nil)
                _ = kevent(descriptor, &change, 1, nil, 0, nil)
            }
        #endif
    }

    /// Waits up to `milliseconds` (-1: no limit) and appends what is ready to `ready`.
    func wait(milliseconds: Int32, into ready: inout [Readiness]) throws(SocketError) {
        ready.removeAll(keepingCapacity: true)
        #if canImport(Glibc)
            let count =
                try systemCall("epoll_wait") { herald_epoll_wait(descriptor, events, Int32(Self.capacity), milliseconds) } ?? 0
            for event in UnsafeBufferPointer(start: events, count: Int(count)) {
                let closed = event.events & (HERALD_EPOLL_ERR | HERALD_EPOLL_HUP) != 0
                ready.append(Readiness(
                    token: event.token, isReadable: event.events & HERALD_EPOLL_IN != 0 || closed,
                    isWritable: event.events & HERALD_EPOLL_OUT != 0 || closed, isClosed: closed))
            }
        #else
            var timeout = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
            let count =
                try systemCall("kevent") {
                    milliseconds < 0
                        ? kevent(descriptor, nil, 0, events, Int32(Self.capacity), nil)
                        : kevent(descriptor, nil, 0, events, Int32(Self.capacity), &timeout)
                } ?? 0
            for event in UnsafeBufferPointer(start: events, count: Int(count)) {
                let token = UInt64(UInt(bitPattern: event.udata))
                let closed = event.flags & UInt16(EV_EOF | EV_ERROR) != 0
                ready.append(Readiness(
                    token: token, isReadable: event.filter == Int16(EVFILT_READ) || closed,
                    isWritable: event.filter == Int16(EVFILT_WRITE) || closed, isClosed: closed))
            }
        #endif
    }

    #if canImport(Glibc)
        private static func events(_ interest: Interest) -> UInt32 {
            (interest.contains(.readable) ? HERALD_EPOLL_IN : 0) | (interest.contains(.writable) ? HERALD_EPOLL_OUT : 0)
        }
    #else
        private func change(
            _ socket: Int32, token: UInt64, filter: Int32, enable: Bool, adding: Bool
        ) throws(SocketError) {
            let flags = adding ? (enable ? EV_ADD : EV_ADD | EV_DISABLE) : (enable ? EV_ENABLE : EV_DISABLE)
            var change = kevent(
                ident: UInt(socket), filter: Int16(filter), flags: UInt16(flags), fflags: 0, data: 0,
                udata: UnsafeMutableRawPointer(bitPattern: UInt(token)))
            try systemCall("kevent") { kevent(descriptor, &change, 1, nil, 0, nil) }
        }
    #endif
}
