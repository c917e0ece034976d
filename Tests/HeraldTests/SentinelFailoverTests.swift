import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

/// Herald on Redis Sentinel (contract §14), against real servers the test starts and stops by PID: a master, a
/// replica and three sentinels. The master is found through the sentinels and followed when it is killed under
/// load: accept resumes within 10 s of the failover, and with `queue.min_replicas_ack: 1` every `202` is
/// delivered after it.
@Suite(.serialized) struct SentinelFailoverTests {
    /// `redis-cli -p port args…`'s output.
    struct Deployment {
        let master: RedisServer
        let replica: RedisServer
        let sentinels: [RedisServer]

        var url: String { "redis+sentinel://" + sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ",") + "/mymaster/0" }

        /// The master's port as the first sentinel names it.
        var masterPort: Int? {
            let lines = RedisCLI.run(sentinels[0].port, "SENTINEL", "get-master-addr-by-name", "mymaster")
                .split(separator: "\n")
            return lines.count == 2 ? Int(lines[1].trimmingCharacters(in: .whitespaces)) : nil
        }

        static func start() async throws -> Deployment {
            let master = try RedisServer()
            let replica = try RedisServer(arguments: ["--replicaof", "127.0.0.1", String(master.port)])
            #expect(try await RedisCLI.eventually {
                RedisCLI.run(replica.port, "INFO", "replication").contains("master_link_status:up")
            })
            let sentinels = try (0..<3).map { _ in try RedisServer(sentinelOf: (master.port, "mymaster")) }
            // A failover needs the sentinels to know the replica and each other (quorum 2).
            #expect(try await RedisCLI.eventually {
                sentinels.allSatisfy { sentinel in
                    let info = RedisCLI.run(sentinel.port, "SENTINEL", "master", "mymaster")
                    return info.contains("num-other-sentinels\n2") && info.contains("num-slaves\n1")
                }
            })
            return Deployment(master: master, replica: replica, sentinels: sentinels)
        }
    }

    private func configuration(_ deployment: Deployment, replicas: Int) throws -> HeraldConfiguration {
        var configuration = try HeraldConfiguration.decode(Data("""
            {"channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]}}
            """.utf8))
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(deployment.url)
        configuration.queue.minReplicasAck = replicas
        configuration.queue.replicaAckTimeout = .milliseconds(500)
        return configuration
    }

    /// Load on a Herald through the sentinels; kills the master once `before` notifications were accepted, waits for
    /// the sentinels to promote the replica, runs `afterFailover`, and goes on until `resumed` accepts came after the
    /// failover. Returns the accepted bodies, when the failover was seen, and the accepts' times.
    private func killTheMasterUnderLoad(
        _ herald: Herald, _ deployment: Deployment, afterFailover: () throws -> Void = {}
    ) async throws -> (bodies: Set<String>, failoverAt: ContinuousClock.Instant, times: [ContinuousClock.Instant]) {
        let load = AcceptLoad(herald)
        #expect(try await RedisCLI.eventually { load.count() >= 50 }, "load runs before the kill")
        let oldMaster = deployment.master.port
        deployment.master.stop(signal: SIGKILL)
        #expect(try await RedisCLI.eventually(.seconds(40)) { deployment.masterPort.map { $0 != oldMaster } ?? false },
                "the sentinels promoted the replica")
        let failoverAt = ContinuousClock.now
        try afterFailover()
        _ = try await RedisCLI.eventually(.seconds(30)) { load.count(after: failoverAt) >= 20 }
        let all = await load.stop()
        return (Set(all.map(\.body)), failoverAt, all.map(\.at))
    }

    @Test(.timeLimit(.minutes(2)))
    func theMasterKilledUnderLoadIsFollowedAndAcceptResumesWithinTenSeconds() async throws {
        let deployment = try await Deployment.start()
        let herald = try Herald(configuration: configuration(deployment, replicas: 0), channels: ["slack": RecordingChannel()])
        defer { herald.shutdown() }
        let run = try await killTheMasterUnderLoad(herald, deployment)
        let resumed = try #require(run.times.first { $0 > run.failoverAt }, "accept resumed after the failover")
        #expect(run.failoverAt.duration(to: resumed) < .seconds(10), "resumed \(run.failoverAt.duration(to: resumed)) after it")
    }

    @Test(.timeLimit(.minutes(3)))
    func withOneReplicaAckEveryAcceptedNotificationSurvivesTheFailoverAndIsDelivered() async throws {
        let deployment = try await Deployment.start()
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration(deployment, replicas: 1), channels: ["slack": slack])
        defer { herald.shutdown() }
        let running = Task { try await herald.run() }
        // After the failover the old master comes back; the sentinels make it the new master's replica, so
        // accepts can be confirmed again.
        let run = try await killTheMasterUnderLoad(herald, deployment) { try deployment.master.start() }
        #expect(run.times.contains { $0 > run.failoverAt }, "accepts were confirmed again once a replica rejoined")
        #expect(try await RedisCLI.eventually(.seconds(40)) { run.bodies.isSubset(of: Set(slack.messages.map(\.body))) },
                "every 202 was delivered: missing \(run.bodies.subtracting(slack.messages.map(\.body)).sorted().prefix(5))")
        herald.stop()
        try await running.value
    }

    @Test(.timeLimit(.minutes(2)))
    func anAcceptNoReplicaConfirmsIs503AndSafeToRetryWithItsIdempotencyKey() async throws {
        let deployment = try await Deployment.start()
        let herald = try Herald(configuration: configuration(deployment, replicas: 1), channels: ["slack": RecordingChannel()])
        defer { herald.shutdown() }
        let request = NotificationRequest(topic: "sales", message: "confirmed")
        _ = try await herald.send(request, idempotencyKey: "k-0")
        deployment.replica.stop()
        do {
            _ = try await herald.send(NotificationRequest(topic: "sales", message: "unconfirmed"), idempotencyKey: "k-1")
            Issue.record("an accept no replica confirmed was answered accepted")
        } catch let error as HeraldError {
            #expect(error.code == .queueUnavailable && error.field == "queue.min_replicas_ack", "\(error)")
        }
        try deployment.replica.start()
        #expect(try await RedisCLI.eventually {
            RedisCLI.run(deployment.replica.port, "INFO", "replication").contains("master_link_status:up")
        })
        let retried = try await herald.send(NotificationRequest(topic: "sales", message: "unconfirmed"), idempotencyKey: "k-1")
        #expect(try await herald.status(of: retried.id).content.body == "unconfirmed", "the retry found the kept record")
    }
}
