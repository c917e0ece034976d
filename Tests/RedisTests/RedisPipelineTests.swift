@testable import HeraldRedis
import Testing

/// The pipelining rules of one connection, with integers for callers and no socket: what is written,
/// who gets which reply, when the reply timer is armed, and what a failure does.
@Suite struct RedisPipelineTests {
    typealias Pipeline = RedisPipeline<Int>

    static let start = ContinuousClock.now

    static func submit(_ pipeline: inout Pipeline, _ caller: Int, deadline: ContinuousClock.Instant? = nil) -> Pipeline.Submission {
        pipeline.submit(RESPCommand("ECHO", "reply-\(caller)"), id: UInt64(caller), deadline: deadline, waiter: caller)
    }

    static func mustScheduleFlush(_ submission: Pipeline.Submission) -> Bool? {
        if case .queued(let mustScheduleFlush) = submission { mustScheduleFlush } else { nil }
    }

    @Test func commandsSubmittedBeforeTheFlushGoOutInOneWriteAndOnlyTheFirstSchedulesIt() {
        var pipeline = Pipeline(name: "test")
        #expect(Self.mustScheduleFlush(Self.submit(&pipeline, 1)) == true)
        #expect(Self.mustScheduleFlush(Self.submit(&pipeline, 2)) == false)
        #expect(Self.mustScheduleFlush(Self.submit(&pipeline, 3)) == false)
        var written: [UInt8] = []
        _ = pipeline.flush(into: &written)
        #expect(written == (1...3).flatMap { RESPCommand("ECHO", "reply-\($0)").encoded })
        #expect(Self.mustScheduleFlush(Self.submit(&pipeline, 4)) == true)
        var next: [UInt8] = []
        _ = pipeline.flush(into: &next)
        #expect(next == RESPCommand("ECHO", "reply-4").encoded)
        #expect(pipeline.pendingCount == 4)
    }

    @Test func repliesReachTheirCallersInOrderAndACancelledCallersReplyIsDropped() {
        var pipeline = Pipeline(name: "test")
        for caller in 1...3 { _ = Self.submit(&pipeline, caller) }
        #expect(pipeline.cancel(2) == 2)
        #expect(pipeline.cancel(2) == nil)
        let delivery = pipeline.deliver([.integer(1), .integer(2), .integer(3)])
        #expect(delivery.replies.map(\.waiter) == [1, 3])
        #expect(delivery.replies.map(\.reply) == [.integer(1), .integer(3)])
        #expect(!delivery.mustClose)
        #expect(pipeline.pendingCount == 0)
        #expect(pipeline.failure == nil)
    }

    @Test func aReplyNoCommandWaitsForFailsThePipelineForGood() {
        var pipeline = Pipeline(name: "test")
        _ = Self.submit(&pipeline, 1)
        let delivery = pipeline.deliver([.integer(1), .integer(2)])
        #expect(delivery.replies.map(\.waiter) == [1])
        #expect(delivery.mustClose)
        #expect(pipeline.failure?.code == .protocolViolation)
        guard case .failed(let error) = Self.submit(&pipeline, 2) else {
            Issue.record("a failed pipeline queued a command")
            return
        }
        #expect(error.code == .protocolViolation)
    }

    @Test func aRetiredPipelineAnswersWhatWasSentThenClosesAndRefusesNewCommands() {
        var pipeline = Pipeline(name: "test")
        for caller in 1...2 { _ = Self.submit(&pipeline, caller) }
        let closesAtOnce = pipeline.retire()
        #expect(!closesAtOnce, "replies are pending: the close waits for them")
        guard case .failed(let refusal) = Self.submit(&pipeline, 3) else {
            Issue.record("a retired pipeline queued a command")
            return
        }
        #expect(refusal.code == .connectionClosed)
        let first = pipeline.deliver([.integer(1)])
        #expect(first.replies.map(\.waiter) == [1] && !first.mustClose)
        let last = pipeline.deliver([.integer(2)])
        #expect(last.replies.map(\.waiter) == [2], "the last pending reply still reaches its caller")
        #expect(last.mustClose)
        var idle = Pipeline(name: "idle")
        let idleClosesAtOnce = idle.retire()
        #expect(idleClosesAtOnce, "with nothing pending it closes at once")
    }

    @Test func aFailureFailsEveryCallerOnceAndLaterSubmissionsGetTheFirstFailure() {
        var pipeline = Pipeline(name: "test")
        for caller in 1...4 { _ = Self.submit(&pipeline, caller) }
        _ = pipeline.cancel(3)
        let first = pipeline.fail(RedisError(.connectionClosed, "gone"))
        #expect(first.waiters == [1, 2, 4])
        let second = pipeline.fail(RedisError(.timedOut, "late"))
        #expect(second.waiters.isEmpty)
        #expect(second.failure == RedisError(.connectionClosed, "gone"))
        var written: [UInt8] = []
        #expect(pipeline.flush(into: &written) == nil)
        #expect(written.isEmpty)
        #expect(pipeline.deliver([.integer(1)]).replies.isEmpty)
        guard case .failed(let error) = Self.submit(&pipeline, 5) else {
            Issue.record("a failed pipeline queued a command")
            return
        }
        #expect(error == RedisError(.connectionClosed, "gone"))
    }

    @Test func oneTimerIsArmedForTheOldestDeadlineAndArmedAgainWhenItFiresEarly() {
        var pipeline = Pipeline(name: "test")
        let first = Self.start + .seconds(1)
        let second = Self.start + .seconds(2)
        _ = Self.submit(&pipeline, 1, deadline: first)
        _ = Self.submit(&pipeline, 2, deadline: second)
        var written: [UInt8] = []
        #expect(pipeline.flush(into: &written) == first)
        _ = Self.submit(&pipeline, 3, deadline: Self.start + .seconds(3))
        written = []
        #expect(pipeline.flush(into: &written) == nil)
        #expect(pipeline.deliver([.integer(1)]).armTimer == nil)

        guard case .rearm(let deadline) = pipeline.timerFired(at: first) else {
            Issue.record("the timer was not armed again for the next caller")
            return
        }
        #expect(deadline == second)
        guard case .expired(let error, let waiters) = pipeline.timerFired(at: second) else {
            Issue.record("the late reply did not time out")
            return
        }
        #expect(error.code == .timedOut)
        #expect(waiters == [2, 3])
        #expect(pipeline.failure?.code == .timedOut)
    }

    @Test func aCallerWithAnEarlierDeadlineThanTheArmedTimerMovesTheTimer() {
        var pipeline = Pipeline(name: "test")
        _ = Self.submit(&pipeline, 1, deadline: Self.start + .seconds(2))
        var written: [UInt8] = []
        #expect(pipeline.flush(into: &written) == Self.start + .seconds(2))
        _ = pipeline.deliver([.integer(1)])
        _ = Self.submit(&pipeline, 2, deadline: Self.start + .milliseconds(300))
        written = []
        #expect(pipeline.flush(into: &written) == Self.start + .milliseconds(300))
        guard case .expired(_, let waiters) = pipeline.timerFired(at: Self.start + .milliseconds(300)) else {
            Issue.record("the shorter deadline did not expire")
            return
        }
        #expect(waiters == [2])
    }

    @Test func anIdleTimerIsArmedAgainByTheNextCallerWithADeadline() {
        var pipeline = Pipeline(name: "test")
        _ = Self.submit(&pipeline, 1, deadline: Self.start + .seconds(1))
        var written: [UInt8] = []
        #expect(pipeline.flush(into: &written) != nil)
        #expect(pipeline.deliver([.integer(1)]).armTimer == nil)
        guard case .idle = pipeline.timerFired(at: Self.start + .seconds(1)) else {
            Issue.record("a timer with no one waiting stayed armed")
            return
        }
        _ = Self.submit(&pipeline, 2)
        _ = Self.submit(&pipeline, 3, deadline: Self.start + .seconds(5))
        written = []
        #expect(pipeline.flush(into: &written) == nil)
        #expect(pipeline.deliver([.integer(2)]).armTimer == Self.start + .seconds(5))
    }

    @Test func repliesSplitAtEveryByteReachTheSameCallers() throws {
        let replies: [RESPValue] = [
            .simpleString("OK"), .error("ERR no"), .integer(-7), .bulkString(Array("a\r\nb".utf8)), .bulkString(nil),
            .array([.integer(1), .array([.bulkString([0, 255])]), .array(nil)]),
        ]
        let stream = replies.flatMap(\.wireBytes)
        for split in 0...stream.count {
            var pipeline = Pipeline(name: "test")
            for caller in replies.indices { _ = Self.submit(&pipeline, caller) }
            var decoder = RESPDecoder()
            var delivered: [(waiter: Int, reply: RESPValue)] = []
            for part in [stream[..<split], stream[split...]] {
                decoder.feed(part)
                var decoded: [RESPValue] = []
                while let reply = try decoder.next() { decoded.append(reply) }
                delivered += pipeline.deliver(decoded).replies
            }
            #expect(delivered.map(\.waiter) == Array(replies.indices), "split at \(split)")
            #expect(delivered.map(\.reply) == replies, "split at \(split)")
        }
    }

    /// Random interleavings of submissions, cancellations, flushes and reads of random sizes, against a
    /// stand-in server that answers each command written with its last argument: every caller not
    /// cancelled gets its own reply exactly once, in submission order, and the connection never fails.
    @Test func everyCallerGetsItsOwnReplyInOrderWhateverTheCancellationsAndReadSizes() throws {
        for seed in UInt64(1)...200 {
            var generator = SeededGenerator(state: seed)
            var pipeline = Pipeline(name: "test")
            var server = RESPDecoder()
            var client = RESPDecoder()
            var unread: [UInt8] = []
            var submitted = 0
            var cancelled: Set<Int> = []
            var delivered: [Int] = []
            let total = Int.random(in: 1...300, using: &generator)
            func payload(_ caller: Int) -> [UInt8] { Array("reply-\(caller)-".utf8) + [13, 10, UInt8(caller % 256)] }

            while delivered.count + cancelled.count < total {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0...3 where submitted < total:
                    let command = RESPCommand(parts: [Array("ECHO".utf8), payload(submitted)])
                    _ = pipeline.submit(command, id: UInt64(submitted), deadline: nil, waiter: submitted)
                    submitted += 1
                case 4 where submitted > 0:
                    let caller = Int.random(in: 0..<submitted, using: &generator)
                    if let waiter = pipeline.cancel(UInt64(caller)) {
                        #expect(waiter == caller, "seed \(seed)")
                        #expect(cancelled.insert(caller).inserted, "seed \(seed): cancelled twice")
                    }
                case 5...6:
                    var written: [UInt8] = []
                    _ = pipeline.flush(into: &written)
                    server.feed(written)
                    while let command = try server.next() { unread += RESPValue.bulkString(command.array?.last?.bulkBytes).wireBytes }
                default:
                    guard !unread.isEmpty else { continue }
                    let count = Int.random(in: 1...min(unread.count, 40), using: &generator)
                    client.feed(unread.prefix(count))
                    unread.removeFirst(count)
                    var decoded: [RESPValue] = []
                    while let reply = try client.next() { decoded.append(reply) }
                    let delivery = pipeline.deliver(decoded)
                    #expect(!delivery.mustClose, "seed \(seed)")
                    for (waiter, reply) in delivery.replies {
                        #expect(reply == .bulkString(payload(waiter)), "seed \(seed): caller \(waiter) got another's reply")
                        delivered.append(waiter)
                    }
                }
            }
            #expect(delivered == (0..<total).filter { !cancelled.contains($0) }, "seed \(seed)")
            #expect(Set(delivered).isDisjoint(with: cancelled), "seed \(seed)")
            #expect(pipeline.failure == nil, "seed \(seed)")
        }
    }
}

extension RESPValue {
    /// The bytes of a non-null bulk string.
    fileprivate var bulkBytes: [UInt8]? {
        if case .bulkString(let bytes?) = self { bytes } else { nil }
    }
}
