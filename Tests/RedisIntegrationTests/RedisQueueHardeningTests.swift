import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process whose clock runs `offset` ahead of everyone else's.
private struct SkewedClock: WallClock {
    let offset: TimeInterval
    var now: Date { Date().addingTimeInterval(offset) }
    func sleep(until deadline: Date) async throws {
        try await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSince(now))))
    }
}

/// The Redis queue under clock skew and lost replies, against a real server.
@Suite(.serialized) struct RedisQueueHardeningTests {
    private func submission(_ name: String, at now: Date = Date()) -> Submission {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: "sales", userID: nil, content: RenderedContent(subject: nil, body: name), createdAt: now,
            deliveries: [DeliveryRecord(channel: "slack", status: .queued, updatedAt: now)])
        return Submission(
            record: record, units: [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: now)],
            idempotency: nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerWhoseClockIsAheadNeitherStealsLiveLeasesNorDelaysRetries() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2)
        defer { redis.shutdown() }
        let punctual = RedisDeliveryQueue(client: redis, clock: SystemClock())
        let ahead = RedisDeliveryQueue(client: redis, clock: SkewedClock(offset: 90))
        _ = try await punctual.enqueue(submission("a"))

        let held = try #require(try await punctual.reserve(for: "punctual", lease: .seconds(30), waitingUpTo: .zero))
        #expect(try await ahead.recoverExpiredLeases() == LeaseRecovery())
        #expect(try await ahead.depth().inFlight == 1)

        #expect(try await punctual.acknowledge(held, recording: nil))

        // A retry scheduled one second out by the fast process is due in one second for everyone.
        _ = try await punctual.enqueue(submission("b"))
        let own = try #require(try await ahead.reserve(for: "ahead", lease: .seconds(30), waitingUpTo: .zero))
        let delivery = DeliveryRecord(channel: "slack", status: .retrying, updatedAt: Date())
        let due = SkewedClock(offset: 90).now.addingTimeInterval(1)
        #expect(try await ahead.scheduleRetry(own, as: own.unit, at: due, recording: delivery))
        let started = ContinuousClock.now
        let retried = try await punctual.reserve(for: "punctual", lease: .seconds(30), waitingUpTo: .seconds(10))
        #expect(retried?.unit.id.notificationID == "ntf_b")
        #expect(started.duration(to: .now) < .seconds(5))
    }

    @Test(.timeLimit(.minutes(1)))
    func anAcceptWhoseReplyIsDelayedIsAnsweredAcceptedOnceRedisAnswers() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2, commandTimeout: .milliseconds(200), connectTimeout: .milliseconds(200))
        defer { redis.shutdown() }
        let queue = RedisDeliveryQueue(client: redis, configuration: .init(acceptTimeout: .seconds(2)))
        _ = try await queue.enqueue(submission("warm"))
        let pid = try #require(server.pid)

        kill(pid, SIGSTOP)
        let accepting = Task { try await queue.enqueue(submission("late")) }
        try await Task.sleep(for: .milliseconds(500))
        kill(pid, SIGCONT)
        #expect(try await accepting.value == .accepted)

        let store = RedisNotificationStore(client: redis)
        #expect(try await store.record(for: "ntf_late") != nil)
        #expect(try await redis.integer(RESPCommand("LLEN", "{herald}:ready")) == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func anAcceptThatGotNoAnswerInTimeIsNeverWrittenLater() async throws {
        let server = try RedisServer()
        let redis = try server.client(poolSize: 2, commandTimeout: .milliseconds(200), connectTimeout: .milliseconds(200))
        defer { redis.shutdown() }
        let queue = RedisDeliveryQueue(client: redis, configuration: .init(acceptTimeout: .milliseconds(600)))
        // Warm the connections and the server-clock estimate; on two busy cores one 600 ms window can pass first.
        var warmed = false
        for _ in 0..<5 where !warmed {
            warmed = (try? await queue.enqueue(submission("warm"))) == .accepted
        }
        #expect(warmed)
        let pid = try #require(server.pid)

        kill(pid, SIGSTOP)
        await #expect(throws: (any Error).self) { try await queue.enqueue(submission("lost")) }
        try await Task.sleep(for: .milliseconds(300))
        kill(pid, SIGCONT)
        try await Task.sleep(for: .milliseconds(300))

        let store = RedisNotificationStore(client: redis)
        #expect(try await store.record(for: "ntf_lost") == nil)
        #expect(try await redis.integer(RESPCommand("LLEN", "{herald}:ready")) == 1)
    }
}

@Suite(.serialized) struct RedisUnreadablePayloadTests {
    @Test(.timeLimit(.minutes(1)))
    func anUnreadablePayloadIsDeadLetteredInsteadOfComingBackForever() async throws {
        let server = try RedisServer()
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer { redis.shutdown() }
        let queue = RedisDeliveryQueue(client: redis)
        _ = try await redis.send(RESPCommand("LPUSH", "{herald}:ready", #"{"not":"a unit"}"#))

        #expect(try await queue.reserve(for: "w", lease: .seconds(30), waitingUpTo: .zero) == nil)
        let depth = try await queue.depth()
        #expect(depth.ready == 0 && depth.inFlight == 0 && depth.dead == 1)
        #expect(try await queue.leasedTokens(of: "w").isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreadablePayloadOfACrashedWorkerDoesNotStopRecovery() async throws {
        let server = try RedisServer()
        let redis = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer { redis.shutdown() }
        let queue = RedisDeliveryQueue(client: redis)
        _ = try await redis.send(RESPCommand("LPUSH", "{herald}:processing:gone", "garbage"))
        _ = try await redis.send(RESPCommand("ZADD", "{herald}:workers", "1", "gone"))

        #expect(try await queue.recoverExpiredLeases() == LeaseRecovery())
        #expect(try await queue.reserve(for: "w", lease: .seconds(30), waitingUpTo: .zero) == nil)
        #expect(try await queue.depth().dead == 1)
    }
}
