#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A descriptor held in reserve (on `/dev/null`) so that, when the process is out of descriptors, the
/// server can give it back, accept one waiting client to answer it `503`, and take it again.
struct SpareDescriptor: ~Copyable {
    private var descriptor: Int32 = -1

    /// Takes the reserve; it holds nothing when even that fails (the server then only backs off).
    init() {
        reacquire()
    }

    /// Gives the descriptor back to the system.
    mutating func release() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
    }

    /// Takes a descriptor again after ``release()`` (nothing when the process is still out of them).
    mutating func reacquire() {
        guard descriptor < 0 else { return }
        descriptor = open("/dev/null", O_RDONLY)
    }
}
