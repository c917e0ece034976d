/// Herald's key layout. Every key carries the hash tag `{prefix}`, so a script's keys share one
/// Redis Cluster slot.
///
/// | key | type | holds |
/// |---|---|---|
/// | `{p}:ready` | list | units ready for delivery; new ones pushed left, reserved from the right (the head) |
/// | `{p}:processing:<worker>` | list | units a worker has reserved |
/// | `{p}:workers` | sorted set | worker ids scored by lease expiry (ms since 1970); the heartbeat |
/// | `{p}:scheduled` | sorted set | units waiting for a retry, scored by due time (ms) |
/// | `{p}:dead` | list | dead letters, newest left |
/// | `{p}:n:<id>` | hash | a notification: `meta`, `order`, and `d:<channel>` per delivery; expires after retention |
/// | `{p}:idem:<key>` | string | an idempotency entry; expires after 24 h |
/// | `{p}:rate:<channel>` | hash | a channel's shared token bucket |
struct RedisKeys: Sendable {
    let tag: String

    init(prefix: String) {
        tag = "{\(prefix)}"
    }

    var ready: String { "\(tag):ready" }
    var scheduled: String { "\(tag):scheduled" }
    var workers: String { "\(tag):workers" }
    var dead: String { "\(tag):dead" }
    var processingPrefix: String { "\(tag):processing:" }
    var recordPrefix: String { "\(tag):n:" }

    func processing(_ worker: String) -> String { processingPrefix + worker }
    func record(_ id: String) -> String { recordPrefix + id }
    func idempotency(_ key: String) -> String { "\(tag):idem:\(key)" }
    func rateLimit(_ channel: String) -> String { "\(tag):rate:\(channel)" }
}
