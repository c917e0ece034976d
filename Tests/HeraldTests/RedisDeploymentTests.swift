import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Herald on a real Redis, the way a deployment runs it: several processes, crashes and restarts.
@Suite(.serialized) struct RedisDeploymentTests {
    private func configuration(_ server: RedisServer, prefix: String = "herald", partitions: Int = 1) -> HeraldConfiguration {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(server.url)
        configuration.queue.keyPrefix = prefix
        configuration.queue.partitions = partitions
        configuration.queue.visibilityTimeout = .seconds(2)
        return configuration
    }

    @Test(.timeLimit(.minutes(1)))
    func sendDrainAndStatusWorkOnRedis() async throws {
        let server = try RedisServer()
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration(server), channels: ["slack": slack])
        defer { herald.shutdown() }
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        try await herald.worker.drain()
        #expect(try await herald.status(of: receipt.id).status == .sent)
        #expect(slack.messages == [RecordingChannel.Entry(channel: "slack", body: "Customer needs help")])
    }

    /// On one queue and on one spread over 4 partitions (`queue.partitions`).
    @Test(.timeLimit(.minutes(2)), arguments: [1, 4])
    func aWorkerProcessKilledMidDeliveryLosesNothing(partitions: Int) async throws {
        let server = try RedisServer()
        let herald = try Herald(configuration: configuration(server, prefix: "crash", partitions: partitions))
        defer { herald.shutdown() }
        var ids: [NotificationID] = []
        for index in 0..<20 {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "n\(index)")).id)
        }
        let environment = ["REDIS_URL": server.url, "KEY_PREFIX": "crash", "VISIBILITY_S": "2", "PARTITIONS": String(partitions)]
        let worker = ChildProcess.builtProduct("HeraldTestWorker")
        let doomed = try ChildProcess(worker, environment: environment.merging(["DELAY_MS": "400", "CONCURRENCY": "4"]) { $1 })
        #expect(try await doomed.waitForOutput { $0.filter { $0.hasPrefix("start") }.count >= 6 })
        doomed.stop(signal: SIGKILL)
        let startedByDoomed = Set(doomed.output.filter { $0.hasPrefix("start ") }.map { $0.dropFirst(6) })
        let finishedByDoomed = Set(doomed.output.filter { $0.hasPrefix("sent ") }.map { $0.dropFirst(5) })
        let inFlightAtKill = startedByDoomed.subtracting(finishedByDoomed)
        #expect(!inFlightAtKill.isEmpty)

        let survivor = try ChildProcess(worker, environment: environment.merging(["DELAY_MS": "0", "CONCURRENCY": "4"]) { $1 })
        defer { survivor.stop(signal: SIGTERM) }
        let everyDelivery = Set(ids.map { "\($0).slack" })
        let allSent = try await survivor.waitForOutput(timeout: .seconds(30)) { lines in
            let sent = Set(lines.filter { $0.hasPrefix("sent ") }.map { String($0.dropFirst(5)) })
            return sent.union(finishedByDoomed.map(String.init)) == everyDelivery
        }
        #expect(allSent)
        let sentBySurvivor = survivor.output.filter { $0.hasPrefix("sent ") }.map { String($0.dropFirst(5)) }
        #expect(Set(sentBySurvivor).isSuperset(of: inFlightAtKill.map(String.init)))
        #expect(Set(sentBySurvivor).isDisjoint(with: finishedByDoomed.map(String.init)))
        for id in ids { #expect(try await herald.status(of: id).status == .sent) }
        #expect(try await herald.queue.depth().isIdle)
    }

    @Test(.timeLimit(.minutes(1)))
    func aProcessStartedWithAnotherPartitionCountIsRefusedAndChangesNothing() async throws {
        let server = try RedisServer()
        let first = try Herald(configuration: configuration(server, prefix: "layout", partitions: 4))
        let running = Task { try await first.run() }
        let receipt = try await first.send(NotificationRequest(topic: "sales", message: "kept"))
        let other = try Herald(configuration: configuration(server, prefix: "layout", partitions: 2))
        await #expect(throws: HeraldError(.invalidConfiguration, "", field: "queue.partitions")) { try await other.run() }
        #expect(try await first.status(of: receipt.id).id == receipt.id)
        let again = try Herald(configuration: configuration(server, prefix: "layout", partitions: 4))
        again.stop()
        try await again.run()
        first.stop()
        try await running.value
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerStoppedBySIGTERMReturnsUnfinishedDeliveriesToTheHeadOfTheQueue() async throws {
        let server = try RedisServer()
        let herald = try Herald(configuration: configuration(server, prefix: "stop"))
        defer { herald.shutdown() }
        for index in 0..<6 { _ = try await herald.send(NotificationRequest(topic: "sales", message: "n\(index)")) }
        let worker = try ChildProcess(
            ChildProcess.builtProduct("HeraldTestWorker"),
            environment: ["REDIS_URL": server.url, "KEY_PREFIX": "stop", "VISIBILITY_S": "60", "DELAY_MS": "30000",
                          "CONCURRENCY": "2", "SHUTDOWN_S": "1"])
        #expect(try await worker.waitForOutput { $0.filter { $0.hasPrefix("start") }.count == 2 })
        let start = ContinuousClock.now
        worker.stop(signal: SIGTERM)
        #expect(worker.terminationStatus == 0)
        #expect(ContinuousClock.now - start < .seconds(5))

        let depth = try await herald.queue.depth()
        #expect(depth.inFlight == 0)
        #expect(depth.ready == 6)
        #expect(worker.output.filter { $0.hasPrefix("sent") }.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func acceptedNotificationsSurviveARedisRestartWithAOF() async throws {
        let server = try RedisServer(appendOnly: true)
        let slack = RecordingChannel()
        let herald = try Herald(configuration: configuration(server), channels: ["slack": slack])
        defer { herald.shutdown() }
        var ids: [NotificationID] = []
        for index in 0..<25 {
            ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "n\(index)")).id)
        }
        server.stop(signal: SIGKILL)
        try server.start()

        var drained = false
        for _ in 0..<100 where !drained {
            drained = (try? await herald.worker.drain()) != nil
            if !drained { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(drained)
        #expect(Set(slack.outgoing.map(\.deliveryID.notificationID)) == Set(ids))
        for id in ids { #expect(try await herald.status(of: id).status == .sent) }
    }

    @Test(.timeLimit(.minutes(1)))
    func whileRedisIsDownSendFailsCleanlyAndWorksAgainWhenItReturns() async throws {
        let server = try RedisServer()
        let herald = try Herald(configuration: configuration(server))
        defer { herald.shutdown() }
        _ = try await herald.send(NotificationRequest(topic: "sales", message: "before"))
        server.stop()

        await #expect(throws: HeraldError(.queueUnavailable, "")) {
            try await herald.send(NotificationRequest(topic: "sales", message: "during"))
        }
        #expect(await herald.isQueueReachable() == false)
        let api = herald.api
        let notReady = await api.handle(HeraldAPI.Request(method: "GET", path: "/readyz"))
        #expect(notReady.status == 503)
        let refused = await api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications", headers: [("Content-Type", "application/json")],
            body: Array(#"{"topic": "sales", "message": "m"}"#.utf8)))
        #expect(refused.status == 503)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("queue_unavailable"))

        try server.start()
        var receipt: NotificationReceipt?
        for _ in 0..<100 where receipt == nil {
            receipt = try? await herald.send(NotificationRequest(topic: "purchase", message: "after", userID: "123"))
            if receipt == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let accepted = try #require(receipt)
        #expect(await herald.isQueueReachable())
        #expect(await api.handle(HeraldAPI.Request(method: "GET", path: "/readyz")).status == 200)
        let record = try await herald.status(of: accepted.id)
        #expect(record.deliveries.count == 3)
        #expect(try await herald.queue.depth().ready == 3)
    }
}
