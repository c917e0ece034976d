/// A Lua script run with `EVALSHA`. Its SHA-1 is learnt from `SCRIPT LOAD` the first time, and the
/// script is loaded again when Redis answers `NOSCRIPT` (after a restart or `SCRIPT FLUSH`).
public struct RedisScript: Hashable, Sendable {
    /// A short name for errors and logs.
    public let name: String
    /// The Lua source.
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
