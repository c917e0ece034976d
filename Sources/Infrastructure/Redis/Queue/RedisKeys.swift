import HeraldDomain

/// Herald's key layout. Every key carries the hash tag `{prefix}`, so a script's keys share one
/// Redis Cluster slot.
///
/// | key | type | holds |
/// |---|---|---|
/// | `{p}:ready` | list | units ready for delivery; new ones pushed left, reserved from the right (the head) |
/// | `{p}:suspects` | list | units recovered from expired leases, each delivered by a worker holding nothing else |
/// | `{p}:isolation` | hash | worker id → how many suspects it holds (it takes nothing else meanwhile) |
/// | `{p}:processing:<worker>` | list | units a worker has reserved |
/// | `{p}:workers` | sorted set | worker ids scored by lease expiry (Redis `TIME`, ms); the heartbeat |
/// | `{p}:heartbeats` | hash | worker id → its last heartbeat or reserve (Redis `TIME`, ms) |
/// | `{p}:scheduled` | sorted set | units waiting for a retry, scored by due time (Redis `TIME`, ms) |
/// | `{p}:dead` | sorted set | dead-letter members `<id>/<delivery key>` scored by when they died (Redis `TIME`, ms) |
/// | `{p}:dead:letters` | hash | dead-letter member → the letter |
/// | `{p}:dead:channel:<channel>` | sorted set | a channel's dead-letter members, scored as in `{p}:dead` |
/// | `{p}:n:<id>` | hash | a notification: `meta`, `order` (delivery keys), and `d:<delivery key>` per delivery; no expiry while work is outstanding, then expires after retention |
/// | `{p}:idem:<key>` | string | an idempotency entry; expires after 24 h |
/// | `{p}:rate:<channel>` | hash | a channel's shared token bucket |
/// | `{p}:user:<id>` | hash | a user: `profile` (JSON without devices), `d:<token>` per device, `seq`, `devices`; no expiry |
/// | `{p}:list`, `{p}:list:topic:<topic>`, `{p}:list:user:<id>` | sorted set | notification ids by creation (ms), for lists; each accept drops a few entries past the retention whose records are gone |
/// | `{p}:topics`, `{p}:templates` | hash | runtime topics (route JSON) and templates (template JSON) by name |
/// | `{p}:topics:seeded`, `{p}:templates:seeded` | set | the names of `herald.json` entries already written once |
/// | `{p}:digest:<topic>:<user>` | string | the open digest of a topic for a user (its notification id); expires with the window |
/// | `{p}:idem-at:<key>` | string | with `queue.partitions`: the partition holding an idempotency key claimed beside a notification placed by another key; expires with the key |
/// | `{p}:partitions` | string | how many partitions the deployment's queue has (checked at start-up) |
struct RedisKeys: Sendable {
    let tag: String

    init(prefix: String) {
        tag = "{\(prefix)}"
    }

    var ready: String { "\(tag):ready" }
    var scheduled: String { "\(tag):scheduled" }
    var workers: String { "\(tag):workers" }
    /// Worker id → its last heartbeat or reserve (Redis `TIME`, ms); removed when its lease is recovered.
    var heartbeats: String { "\(tag):heartbeats" }
    var dead: String { "\(tag):dead" }
    var deadLetters: String { "\(tag):dead:letters" }
    /// A channel's dead letters, scored like `dead` (kept by the scripts beside it).
    func deadLetters(of channel: String) -> String { "\(tag):dead:channel:\(channel)" }
    var suspects: String { "\(tag):suspects" }
    var isolation: String { "\(tag):isolation" }
    var processingPrefix: String { "\(tag):processing:" }
    var recordPrefix: String { "\(tag):n:" }

    func processing(_ worker: String) -> String { processingPrefix + worker }
    func record(_ id: String) -> String { recordPrefix + id }
    func idempotency(_ key: String) -> String { "\(tag):idem:\(key)" }
    /// Where a partitioned queue notes the partition of an idempotency key kept away from its own.
    func idempotencyPlacement(_ key: String) -> String { "\(tag):idem-at:\(key)" }
    /// The number of partitions the deployment was started with.
    var partitionCount: String { "\(tag):partitions" }
    func dedupe(_ key: String) -> String { "\(tag):dedupe:\(key)" }
    func digest(_ key: String) -> String { "\(tag):digest:\(key)" }
    func throttle(_ key: String) -> String { "\(tag):throttle:\(key)" }
    /// Counters that make members unique (a throttle's admitted notifications).
    var sequences: String { "\(tag):sequences" }
    func rateLimit(_ channel: String) -> String { "\(tag):rate:\(channel)" }
    func user(_ id: String) -> String { "\(tag):user:\(id)" }
    var topics: String { "\(tag):topics" }
    /// Notification ids by creation time (ms): of all, per topic, per user; trimmed to the records' retention.
    var listIndex: String { "\(tag):list" }
    func listIndex(topic: String) -> String { "\(tag):list:topic:\(topic)" }
    func listIndex(user: String) -> String { "\(tag):list:user:\(user)" }
    var templates: String { "\(tag):templates" }
    func seeded(_ kind: String) -> String { "\(tag):\(kind):seeded" }
    /// The record hash field of a delivery.
    func field(_ id: DeliveryID) -> String { "d:" + id.key }
    /// The dead-letter member of a delivery.
    func deadLetterMember(_ id: DeliveryID) -> String { "\(id.notificationID.rawValue)/\(id.key)" }
}
