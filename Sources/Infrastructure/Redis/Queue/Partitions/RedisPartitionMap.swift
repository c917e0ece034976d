package import HeraldDomain

/// How `queue.partitions` spreads one deployment's queue over hash tags. Partition `k` of prefix `herald` keeps
/// its keys under `{herald#k.s}` (with one partition, under `{herald}`: the layout from before partitions), so a
/// Redis Cluster spreads the partitions over its masters while the keys of one notification share a slot. `s` is
/// the first number that puts the tag in the `k`-th of N equal ranges of the 16384 slots: a cluster whose masters
/// hold equal slot ranges (what `redis-cli --cluster create` makes) gets an equal share of partitions on each when N
/// is a multiple of the masters, where plain `{herald#k}` tags land where their checksums fall.
///
/// A notification lives in the partition of the key it claims (digest, dedupe or idempotency key, the first it
/// has), else in a random one, and its id is drawn so that it hashes to that partition: a status read, a cancel or
/// a settle finds the partition from the id alone. Keys shared by every notification (users, runtime topics and
/// templates, rate limits, throttles) stay under the deployment's own tag.
package struct RedisPartitionMap: Hashable, Sendable {
    /// The deployment's key prefix.
    package let prefix: String
    /// How many partitions (at least 1).
    package let count: Int

    /// The key prefix of each partition.
    private let prefixes: [String]

    package init(prefix: String, count: Int) {
        self.prefix = prefix
        self.count = max(1, count)
        let total = self.count
        prefixes = total == 1 ? [prefix] : (0..<total).map { index in
            let slots = (index * ClusterSlot.count / total)..<((index + 1) * ClusterSlot.count / total)
            var salt = 0
            while !slots.contains(ClusterSlot.of("\(prefix)#\(index).\(salt)")) { salt += 1 }
            return "\(prefix)#\(index).\(salt)"
        }
    }

    /// The most partitions one deployment may have.
    package static let maximum = 1024

    /// The key prefix of partition `index` (inside the braces of its keys).
    package func prefix(of index: Int) -> String {
        prefixes[index]
    }

    /// The partition a claim key (idempotency, dedupe, digest) or a notification id belongs to.
    package func partition(ofKey key: String) -> Int {
        count == 1 ? 0 : Int(ClusterSlot.crc16(Array(key.utf8))) % count
    }

    package func partition(of id: NotificationID) -> Int {
        partition(ofKey: id.rawValue)
    }

    /// A random id that hashes to the partition of `key` (any partition without one): about `count` draws.
    package func newID(placedWith key: String?) -> NotificationID {
        guard count > 1, let key else { return NotificationID.generate() }
        return newID(inPartition: partition(ofKey: key))
    }

    /// A random id that hashes to partition `target`: about `count` draws.
    package func newID(inPartition target: Int) -> NotificationID {
        guard count > 1 else { return NotificationID.generate() }
        while true {
            let id = NotificationID.generate()
            if partition(of: id) == target { return id }
        }
    }
}
