#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts the detached POSIX threads Herald's blocking I/O runs on, and reports a thread that could not
/// be started.
///
/// Foundation's `Thread.start()` ignores a failed `pthread_create` (out of threads, `RLIMIT_NPROC`, no
/// memory for the stack), so whoever waits for that thread's work waits forever. Every dedicated thread
/// in Herald is started here instead, and a caller that cannot get one fails with the reason.
package enum DedicatedThread {
    /// Starts `body` on a new detached thread called `name` (cut to the 15 bytes Linux keeps).
    /// - Parameter stackSize: the thread's stack in bytes (rounded up to whole pages), or nil for the
    ///   system's default.
    /// - Throws: ``SocketError`` naming `pthread_create` (or the attribute call that failed) with its
    ///   error number, and `name` as the detail; `body` is then never run.
    package static func start(
        name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void
    ) throws(SocketError) {
        var attributes = pthread_attr_t()
        try check("pthread_attr_init", name) { pthread_attr_init(&attributes) }
        defer { pthread_attr_destroy(&attributes) }
        try check("pthread_attr_setdetachstate", name) {
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        }
        if let stackSize {
            let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
            let rounded = stackSize > Int.max - page ? Int.max / page * page : (stackSize + page - 1) / page * page
            try check("pthread_attr_setstacksize", name) { pthread_attr_setstacksize(&attributes, rounded) }
        }
        let work = Unmanaged.passRetained(ThreadWork(name: name, body: body))
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, &attributes, runThreadWork, work.toOpaque())
        guard result == 0 else {
            work.release()
            throw SocketError("pthread_create", errno: result, detail: "cannot start thread \(name)")
        }
    }

    private static func check(_ call: String, _ name: String, _ body: () -> Int32) throws(SocketError) {
        let result = body()
        guard result == 0 else { throw SocketError(call, errno: result, detail: "cannot start thread \(name)") }
    }
}

/// What a started thread runs: its name and body, handed over through `pthread_create`'s argument.
private final class ThreadWork {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        let shortName = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        #if canImport(Darwin)
            _ = pthread_setname_np(shortName)
        #else
            // Glibc declares pthread_setname_np only for _GNU_SOURCE, so Swift does not see it: look it up.
            typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
            if let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "pthread_setname_np") {
                _ = unsafeBitCast(symbol, to: SetName.self)(pthread_self(), shortName)
            }
        #endif
        body()
    }
}

#if canImport(Darwin)
    private func runThreadWork(_ argument: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        Unmanaged<ThreadWork>.fromOpaque(argument).takeRetainedValue().run()
        return nil
    }
#else
    private func runThreadWork(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let argument else { return nil }
        Unmanaged<ThreadWork>.fromOpaque(argument).takeRetainedValue().run()
        return nil
    }
#endif
