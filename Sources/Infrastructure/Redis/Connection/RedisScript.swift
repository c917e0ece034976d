/// A Lua script run with `EVALSHA`. Its SHA-1 is learnt from `SCRIPT LOAD` the first time, and the
/// script is loaded again when Redis answers `NOSCRIPT` (after a restart or `SCRIPT FLUSH`).
package struct RedisScript: Hashable, Sendable {
    /// A short name for errors and logs.
    package let name: String
    /// The Lua source.
    package let source: String

    package init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
