import Foundation
import Herald
@testable import HeraldRedis
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

/// Herald on a real 3-master Redis Cluster the test starts and stops by PID (contract §14): the slot of the
/// `{prefix}` tag is found from any node (`CLUSTER SLOTS`), a `MOVED` is followed after the slot is migrated to
/// another master, and nothing accepted is lost across it.
@Suite(.serialized) struct ClusterTests {
    /// Three masters (with `replicas`, that many replicas each, listed after the masters), every slot assigned.
    static func startCluster(replicas: Int = 0) async throws -> [RedisServer] {
        let nodes = try (0..<(3 * (1 + replicas))).map { _ in
            try RedisServer(port: try freeClusterNodePort(), arguments: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"])
        }
        let create = Process()
        create.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        create.arguments = ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" } + ["--cluster-replicas", String(replicas), "--cluster-yes"]
        create.standardOutput = FileHandle.nullDevice
        create.standardError = FileHandle.nullDevice
        try create.run()
        create.waitUntilExit()
        #expect(create.terminationStatus == 0, "redis-cli --cluster create")
        #expect(try await RedisCLI.eventually { nodes.allSatisfy { RedisCLI.run($0.port, ["CLUSTER", "INFO"]).contains("cluster_state:ok") } })
        return nodes
    }

    /// The node whose `CLUSTER NODES` line says it serves `slot`.
    static func owner(of slot: Int, among nodes: [RedisServer]) -> RedisServer? {
        nodes.first { node in
            RedisCLI.run(node.port, ["CLUSTER", "NODES"]).split(separator: "\n").contains { line in
                line.contains("myself") && line.split(separator: " ").dropFirst(8).contains { range in
                    let bounds = range.split(separator: "-").compactMap { Int($0) }
                    return bounds.count == 2 ? (bounds[0]...bounds[1]).contains(slot) : bounds.first == slot
                }
            }
        }
    }

    /// Moves `slot` from `source` to `target` the way `redis-cli --cluster reshard` does: IMPORTING/MIGRATING,
    /// MIGRATE the keys in batches, then SETSLOT NODE on every master.
    static func migrate(_ slot: Int, from source: RedisServer, to target: RedisServer, nodes: [RedisServer]) {
        let sourceID = RedisCLI.run(source.port, ["CLUSTER", "MYID"])
        let targetID = RedisCLI.run(target.port, ["CLUSTER", "MYID"])
        _ = RedisCLI.run(target.port, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID])
        _ = RedisCLI.run(source.port, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID])
        while true {
            let keys = RedisCLI.run(source.port, ["CLUSTER", "GETKEYSINSLOT", String(slot), "100"]).split(separator: "\n").map(String.init)
                .filter { !$0.isEmpty }
            if keys.isEmpty { break }
            _ = RedisCLI.run(source.port, ["MIGRATE", "127.0.0.1", String(target.port), "", "0", "5000", "KEYS"] + keys)
        }
        for node in nodes { _ = RedisCLI.run(node.port, ["CLUSTER", "SETSLOT", String(slot), "NODE", targetID]) }
    }

    @Test(.timeLimit(.minutes(3)))
    func heraldFollowsItsSlotAcrossAMigrationAndLosesNothing() async throws {
        let nodes = try await Self.startCluster()
        let slot = Int(RedisCLI.run(nodes[0].port, ["CLUSTER", "KEYSLOT", "{herald}"])) ?? -1
        let source = try #require(Self.owner(of: slot, among: nodes))
        let seed = try #require(nodes.first { $0.port != source.port }, "seed with a node that does not own the slot")
        var configuration = try HeraldConfiguration.decode(Data(#"{"channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]}}"#.utf8))
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret("redis+cluster://127.0.0.1:\(seed.port)/")
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { herald.shutdown() }
        let running = Task { try await herald.run() }

        var sent: [String] = []
        for index in 0..<20 {
            _ = try await herald.send(NotificationRequest(topic: "sales", message: "before \(index)"))
            sent.append("before \(index)")
        }
        let first = try await herald.send(NotificationRequest(topic: "sales", message: "tracked"))
        sent.append("tracked")
        await slack.waitForMessages(count: sent.count)
        // The slot moves to another master under the running Herald (its workers waiting on the ready list); its
        // next commands get MOVED (a blocked worker is redirected too) and follow it.
        let target = try #require(nodes.first { $0.port != source.port })
        Self.migrate(slot, from: source, to: target, nodes: nodes)
        #expect(Self.owner(of: slot, among: nodes)?.port == target.port)
        #expect(RedisCLI.run(source.port, ["CLUSTER", "COUNTKEYSINSLOT", String(slot)]) == "0")

        #expect(try await herald.status(of: first.id).status == .sent, "the record moved with the slot")
        for index in 0..<20 {
            _ = try await herald.send(NotificationRequest(topic: "sales", message: "after \(index)"))
            sent.append("after \(index)")
        }
        await slack.waitForMessages(count: sent.count)
        #expect(Set(slack.messages.map(\.body)) == Set(sent), "nothing lost")
        #expect(slack.messages.count == sent.count, "nothing sent twice")
        herald.stop()
        try await running.value
    }

    /// `queue.partitions: 12` on 3 masters: every master holds partitions, every notification is delivered once,
    /// claims meet across partitions, lists merge, and a partition's slot migrated under the running Herald is
    /// followed by that partition's client alone.
    @Test(.timeLimit(.minutes(3)))
    func partitionsSpreadOverEveryMasterAndEachNotificationIsDeliveredOnce() async throws {
        let nodes = try await Self.startCluster()
        var configuration = try HeraldConfiguration.decode(Data(#"""
            {"channels": {"slack": {"type": "console", "rate_limit": {"per_second": 5000, "burst": 500}}},
             "routes": {"sales": ["slack"]}, "queue": {"kind": "redis", "partitions": 12}}
            """#.utf8))
        configuration.queue.redisURL = Secret("redis+cluster://127.0.0.1:\(nodes[0].port)/")
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { herald.shutdown() }
        let running = Task { try await herald.run() }

        var sent: [String] = []
        var ids: [NotificationID] = []
        for index in 0..<150 {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "before \(index)")).id)
            sent.append("before \(index)")
        }
        await slack.waitForMessages(count: sent.count)
        for node in nodes {
            let keys = RedisCLI.run(node.port, ["KEYS", "{herald#*"]).split(separator: "\n")
            #expect(!keys.isEmpty, "master \(node.port) holds partitions")
            let tags = Set(keys.compactMap { $0.split(separator: "}").first })
            #expect(tags.count == 4, "master \(node.port) holds 4 of the 12 partitions")
        }

        let partition = RedisPartitionMap(prefix: "herald", count: 12).prefix(of: 0)
        let slot = Int(RedisCLI.run(nodes[0].port, ["CLUSTER", "KEYSLOT", "{\(partition)}"])) ?? -1
        let source = try #require(Self.owner(of: slot, among: nodes))
        let target = try #require(nodes.first { $0.port != source.port })
        Self.migrate(slot, from: source, to: target, nodes: nodes)

        // What every partition shares stays under the deployment's own tag: a runtime topic, the rate limit.
        try await herald.setRoute(Route(channels: ["slack"]), for: "ops")
        ids.append(try await herald.send(NotificationRequest(topic: "ops", message: "runtime topic")).id)
        sent.append("runtime topic")
        let shared = try #require(Self.owner(of: ClusterSlot.of("{herald}"), among: nodes))
        #expect(!RedisCLI.run(shared.port, ["HGET", "{herald}:topics", "ops"]).isEmpty)
        #expect(RedisCLI.run(shared.port, ["EXISTS", "{herald}:rate:slack"]) == "1")

        let deduped = try await herald.send(
            NotificationRequest(topic: "sales", message: "disk full", dedupeKey: "disk-full@db1"), idempotencyKey: "request-1")
        sent.append("disk full")
        let again = try await herald.send(NotificationRequest(topic: "sales", message: "disk full again", dedupeKey: "disk-full@db1"))
        #expect(again.id == deduped.id && again.deduplicated)
        await #expect(throws: HeraldError(.idempotencyKeyReused, "", field: "Idempotency-Key")) {
            _ = try await herald.send(
                NotificationRequest(topic: "sales", message: "other", dedupeKey: "disk-full@db2"), idempotencyKey: "request-1")
        }
        #expect(try await herald.send(
            NotificationRequest(topic: "sales", message: "disk full", dedupeKey: "disk-full@db1"), idempotencyKey: "request-1").id
            == deduped.id)
        for index in 0..<150 {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "after \(index)")).id)
            sent.append("after \(index)")
        }
        await slack.waitForMessages(count: sent.count)
        #expect(Set(slack.messages.map(\.body)) == Set(sent), "nothing lost")
        #expect(slack.messages.count == sent.count, "nothing sent twice")
        for id in ids.prefix(20) + ids.suffix(20) { #expect(try await herald.status(of: id).status == .sent) }

        var listed: [NotificationID] = []
        var cursor: String?
        repeat {
            let page = try await herald.notifications(limit: 100, after: cursor)
            listed += page.records.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil && listed.count < 1000
        #expect(listed.count == ids.count + 1 && Set(listed) == Set(ids + [deduped.id]), "every notification listed once")
        herald.stop()
        try await running.value
    }

    /// A master killed under load on a cluster with a replica per master and `queue.partitions: 6`: the cluster
    /// promotes its replica, the partitions' clients find the new owner (re-discovery after a failed connection),
    /// the others go on meanwhile, and with `min_replicas_ack: 1` every accepted notification is delivered.
    @Test(.timeLimit(.minutes(3)))
    func aMasterKilledUnderLoadIsReplacedByItsReplicaAndEveryAcceptedNotificationIsDelivered() async throws {
        let nodes = try await Self.startCluster(replicas: 1)
        var configuration = try HeraldConfiguration.decode(Data(#"""
            {"channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]},
             "queue": {"kind": "redis", "partitions": 6, "min_replicas_ack": 1, "replica_ack_timeout_ms": 500}}
            """#.utf8))
        configuration.queue.redisURL = Secret("redis+cluster://127.0.0.1:\(nodes[0].port),127.0.0.1:\(nodes[1].port)/")
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { herald.shutdown() }
        let running = Task { try await herald.run() }
        let load = AcceptLoad(herald)
        #expect(try await RedisCLI.eventually { load.count() >= 60 }, "load runs before the kill")
        let slot = ClusterSlot.of("{\(RedisPartitionMap(prefix: "herald", count: 6).prefix(of: 0))}")
        let victim = try #require(Self.owner(of: slot, among: nodes))
        victim.stop(signal: SIGKILL)
        let survivors = nodes.filter { $0.port != victim.port }
        #expect(try await RedisCLI.eventually(.seconds(40)) {
            Self.owner(of: slot, among: survivors) != nil
                && RedisCLI.run(survivors[0].port, ["CLUSTER", "INFO"]).contains("cluster_state:ok")
        }, "the replica was promoted")
        let failoverAt = ContinuousClock.now
        // The killed node comes back as the new master's replica, so its partitions' accepts can be confirmed again.
        try victim.start()
        #expect(try await RedisCLI.eventually(.seconds(40)) { load.count(after: failoverAt) >= 60 }, "accepts go on after the failover")
        let bodies = Set(await load.stop().map(\.body))
        // (Not by count: an accept answered 503 whose record the master kept is delivered too.)
        #expect(try await RedisCLI.eventually(.seconds(60)) { bodies.isSubset(of: Set(slack.messages.map(\.body))) },
                "every accepted notification delivered")
        herald.stop()
        try await running.value
    }

    /// The slot migrated by hand while 400 accepts and their deliveries run: accepts met mid-migration are
    /// redirected (`ASK`) or repeated (`TRYAGAIN`); every accepted notification is delivered once.
    @Test(.timeLimit(.minutes(3)))
    func aSlotMigratedWhileTrafficFlowsLosesNothingAndSendsNothingTwice() async throws {
        let nodes = try await Self.startCluster()
        let slot = Int(RedisCLI.run(nodes[0].port, ["CLUSTER", "KEYSLOT", "{herald}"])) ?? -1
        let source = try #require(Self.owner(of: slot, among: nodes))
        var configuration = try HeraldConfiguration.decode(Data(#"{"channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]}}"#.utf8))
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret("redis+cluster://127.0.0.1:\(nodes[0].port)/")
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { herald.shutdown() }
        let running = Task { try await herald.run() }
        let load = Task { () -> [String] in
            var accepted: [String] = []
            for index in 0..<400 {
                if (try? await herald.send(NotificationRequest(topic: "sales", message: "live \(index)"))) != nil {
                    accepted.append("live \(index)")
                }
            }
            return accepted
        }
        try await Task.sleep(for: .milliseconds(200))
        let target = try #require(nodes.first { $0.port != source.port })
        Self.migrate(slot, from: source, to: target, nodes: nodes)
        let accepted = await load.value
        // (Not by count: an accept answered 503 after its script landed is delivered too.)
        #expect(try await RedisCLI.eventually(.seconds(60)) { Set(accepted).isSubset(of: Set(slack.messages.map(\.body))) },
                "nothing lost")
        try await Task.sleep(for: .milliseconds(500))
        #expect(slack.messages.count == Set(slack.messages.map(\.body)).count, "nothing sent twice")
        herald.stop()
        try await running.value
    }
}
