import HeraldDomain

/// The start-up check that every process of a deployment uses the same `queue.partitions`: the first process
/// records the count under the deployment's own tag (`{prefix}:partitions`); one started with another count is
/// refused, since it would look for notifications in partitions they are not in and leave queued work untaken.
package struct RedisPartitionLayout: Sendable {
    private let client: RedisClient
    private let map: RedisPartitionMap

    /// - Parameter client: a client of the deployment's own tag (on a cluster, routed to its slot).
    package init(client: RedisClient, map: RedisPartitionMap) {
        self.client = client
        self.map = map
    }

    /// Records the count when none is recorded yet, and checks it otherwise.
    /// - Throws: `invalid_configuration` naming `queue.partitions` when the deployment has another count; the
    ///   client's error when Redis cannot be reached.
    package func verify() async throws {
        let keys = RedisKeys(prefix: map.prefix)
        let key = keys.partitionCount
        let isFirst = try await client.send(RESPCommand("SET", key, String(map.count), "NX")).string == "OK"
        if isFirst, map.count > 1,
            try await client.integer(RESPCommand("EXISTS", keys.ready, keys.scheduled, keys.workers, keys.dead)) > 0
        {
            // A deployment from before partitions (nothing recorded, its queue under the one tag): its work would
            // never be taken.
            _ = try await client.send(RESPCommand("DEL", key))
            throw HeraldError(
                .invalidConfiguration,
                "queue.partitions is \(map.count), but the deployment with key prefix \"\(map.prefix)\" on this Redis has "
                    + "its queue in one partition: drain it first, or use a new queue.key_prefix",
                field: "queue.partitions")
        }
        let recorded = try await client.send(RESPCommand("GET", key)).string
        guard let recorded, recorded != String(map.count) else { return }
        throw HeraldError(
            .invalidConfiguration,
            "queue.partitions is \(map.count), but the deployment with key prefix \"\(map.prefix)\" on this Redis has "
                + "\(recorded): every process must use the same count (to change it, drain the queue and use a new "
                + "queue.key_prefix)",
            field: "queue.partitions")
    }
}
