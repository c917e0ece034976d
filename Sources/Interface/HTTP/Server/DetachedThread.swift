import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts detached POSIX threads with a chosen stack size, and says when the system refuses one:
/// Foundation's `Thread.start()` ignores `pthread_create`'s result, so a connection whose thread never
/// started would be neither served nor closed.
enum DetachedThread {
    /// The system could not create a thread (`EAGAIN`: a thread or memory limit was reached).
    struct StartError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "pthread_create failed (errno \(code))" }
    }

    /// Carries the closure through `pthread_create`'s untyped context pointer.
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread named `name` (at most 15 bytes on Linux) with a stack of `stackBytes`.
    /// - Throws: ``StartError`` when the thread was not created; `body` then never runs.
    static func start(name: String, stackBytes: Int, _ body: @escaping @Sendable () -> Void) throws(StartError) {
        let attributes = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
        pthread_attr_init(attributes)
        defer {
            pthread_attr_destroy(attributes)
            attributes.deallocate()
        }
        var result = pthread_attr_setstacksize(attributes, stackBytes)
        guard result == 0 else { throw StartError(code: result) }
        pthread_attr_setdetachstate(attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(
            Body {
                Thread.current.name = name
                body()
            }
        ).toOpaque()
        #if canImport(Glibc)
            var thread: pthread_t = 0
        #else
            var thread: pthread_t?
        #endif
        result = pthread_create(&thread, attributes, { context in
            #if canImport(Glibc)
                guard let context else { return nil }
            #endif
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw StartError(code: result)
        }
    }
}
