import Foundation
import HeraldApplication
import HeraldDomain
import HeraldRedis
import HeraldTesting
import Testing

/// Lists of notifications, the same on every backend (contract §12): newest first, filtered by status, topic,
/// user and time, paged by cursor, and a page never reads more than its budget whatever the data size.
@Suite struct NotificationListingContractTests {
    let clock = ManualClock()

    private func accept(
        _ queue: any DeliveryQueue, _ name: String, topic: Topic = "sales", user: UserID? = nil, status: DeliveryStatus = .queued,
        advancing: Duration = .milliseconds(10)
    ) async throws {
        let id = NotificationID(rawValue: "ntf_\(name)")
        let record = NotificationRecord(
            id: id, topic: topic, userID: user, content: RenderedContent(subject: nil, body: name), createdAt: clock.now,
            deliveries: [DeliveryRecord(channel: "slack", status: status, updatedAt: clock.now)])
        let units = status == .queued ? [DeliveryUnit(id: DeliveryID(notificationID: id, channel: "slack"), readySince: clock.now)] : []
        #expect(try await queue.enqueue(Submission(record: record, units: units, idempotency: nil)) == .accepted)
        clock.advance(by: advancing)
    }

    private func listing(_ subject: QueueUnderTest) throws -> any NotificationListing {
        try #require(subject.store as? any NotificationListing)
    }

    /// The ids of every page from the first, following cursors (at most 50 pages).
    private func pages(_ listing: any NotificationListing, _ filter: NotificationFilter = NotificationFilter(), limit: Int)
        async throws -> [[String]]
    {
        var pages: [[String]] = []
        var cursor: String?
        repeat {
            let page = try await listing.notifications(matching: filter, limit: limit, after: cursor)
            pages.append(page.records.map { String($0.id.rawValue.dropFirst(4)) })
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 50
        return pages
    }

    @Test(arguments: QueueImplementation.allCases)
    func pagesGoNewestFirstAndFiltersCombine(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let list = try listing(subject)
        try await accept(subject.queue, "a", user: "ana")
        try await accept(subject.queue, "b", topic: "pricing", user: "ben")
        let middle = clock.now
        try await accept(subject.queue, "c", user: "ana", status: .skipped)
        try await accept(subject.queue, "d", topic: "pricing", user: "ana")
        try await accept(subject.queue, "e")
        #expect(try await pages(list, limit: 2) == [["e", "d"], ["c", "b"], ["a"]])
        #expect(try await pages(list, NotificationFilter(topic: "pricing"), limit: 5) == [["d", "b"]])
        #expect(try await pages(list, NotificationFilter(userID: "ana"), limit: 5) == [["d", "c", "a"]])
        #expect(try await pages(list, NotificationFilter(status: .sent, userID: "ana"), limit: 5) == [["c"]])
        #expect(try await pages(list, NotificationFilter(topic: "sales", userID: "ana"), limit: 1) == [["c"], ["a"]])
        #expect(try await pages(list, NotificationFilter(since: middle), limit: 10) == [["e", "d", "c"]])
        #expect(try await pages(list, NotificationFilter(until: middle), limit: 10) == [["c", "b", "a"]], "both ends are inclusive")
        #expect(try await pages(list, NotificationFilter(until: middle.addingTimeInterval(-0.001)), limit: 10) == [["b", "a"]])
        #expect(try await pages(list, NotificationFilter(userID: "nobody"), limit: 10) == [[]])
    }

    @Test(arguments: QueueImplementation.allCases)
    func aPageReadsAtMostItsBudgetAndTheCursorGoesOn(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let list = try listing(subject)
        try await accept(subject.queue, "old", status: .skipped)
        for index in 0..<(NotificationFilter.scanBudget(forLimit: 1) + 5) { try await accept(subject.queue, "n\(index)") }
        let first = try await list.notifications(matching: NotificationFilter(status: .sent), limit: 1, after: nil)
        if implementation != .partitioned {
            // (Partitioned, each partition spends a budget of its own: PartitionedQueueTests.)
            #expect(first.records.isEmpty && first.nextCursor != nil, "the budget ran out before the match: the cursor goes on")
        }
        #expect(try await pages(list, NotificationFilter(status: .sent), limit: 1).flatMap { $0 } == ["old"])
    }

    @Test(arguments: QueueImplementation.allCases)
    func moreNotificationsInOneMillisecondThanAPageReadsAreAllListedOnce(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let count = NotificationFilter.scanBudget(forLimit: 2) + 10
        for index in 0..<count { try await accept(subject.queue, "n\(index)", advancing: .zero) }
        let listed = try await pages(try listing(subject), limit: 2).flatMap { $0 }
        #expect(listed.count == count && Set(listed).count == count)
    }

    @Test(arguments: QueueImplementation.allCases)
    func aCursorThisServerDidNotReturnIsRefused(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        await #expect(throws: HeraldError(.invalidValue, "", field: "cursor")) {
            _ = try await listing(subject).notifications(matching: NotificationFilter(), limit: 5, after: "nope")
        }
    }

    @Test func onRedisAnExpiredRecordLeavesTheListAndTheIndexIsTrimmedToTheRetention() async throws {
        let subject = try QueueImplementation.redis.make(clock: clock, retention: .seconds(60))
        let list = try listing(subject)
        let redis = try #require(subject.redis)
        try await accept(subject.queue, "gone", status: .skipped)
        try await accept(subject.queue, "kept")
        _ = try await redis.send(RESPCommand("DEL", "{herald}:n:ntf_gone"))
        #expect(try await pages(list, limit: 10) == [["kept"]])
        #expect(try await redis.integer(RESPCommand("ZCARD", "{herald}:list")) == 1, "the expired entry was removed")
        try await accept(subject.queue, "expired", status: .skipped)
        _ = try await redis.send(RESPCommand("DEL", "{herald}:n:ntf_expired"))
        clock.advance(by: .seconds(61))
        try await accept(subject.queue, "new")
        #expect(try await redis.integer(RESPCommand("ZCARD", "{herald}:list")) == 2, "older than the retention and gone: trimmed")
        #expect(
            try await pages(list, limit: 10) == [["new", "kept"]],
            "older than the retention but still open (a notification scheduled far ahead): still listed")
    }
}
