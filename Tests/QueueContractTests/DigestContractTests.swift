import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

/// Digests through `SendNotification`, the same on every queue backend (contract §11): requests of a digest
/// route join one scheduled notification until it is due; concurrent joins each count once; after the window
/// (or a cancel) the next request starts a new digest.
@Suite struct DigestContractTests {
    let clock = ManualClock()

    private func sender(_ subject: QueueUnderTest) throws -> SendNotification {
        let digest = Digest(window: .seconds(600), template: "{{count}}:{{#items}}{{message}};{{/items}}")
        let planner = NotificationPlanner(
            resolver: TargetResolver(
                routes: RoutingTable(routes: ["comments": Route(channels: ["slack"], digest: digest)]),
                channels: ["slack": ChannelDescriptor(name: "slack")]),
            templates: TemplateCatalog())
        return SendNotification(
            planner: planner, directory: InMemoryContactDirectory([UserProfile(id: "ana", contact: Contact())]),
            queue: subject.queue, store: subject.store, idempotency: subject.idempotency, clock: clock,
            digests: subject.queue as? any DigestIntake)
    }

    private func comment(_ text: String) -> NotificationRequest {
        NotificationRequest(topic: "comments", message: text, userID: "ana")
    }

    @Test(arguments: QueueImplementation.allCases)
    func concurrentRequestsJoinOneDigestEachCountedOnce(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let send = try sender(subject)
        let first = try await send(comment("c0"))
        let ids = try await withThrowingTaskGroup(of: NotificationID.self) { group in
            for index in 1...24 { group.addTask { try await send(comment("c\(index)")).id } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids) == [first.id])
        let record = try #require(try await subject.store.record(for: first.id))
        #expect(record.digest?.count == 25 && record.digest?.items.count == 25)
        #expect(record.content.body.hasPrefix("25:c0;"))
        #expect(Set(record.content.body.dropFirst(3).split(separator: ";").map(String.init)) == Set((0...24).map { "c\($0)" }))

        clock.advance(by: .seconds(599))
        #expect(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) == nil)
        clock.advance(by: .seconds(1))
        let reservation = try #require(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero))
        #expect(reservation.unit.id.notificationID == first.id)
        #expect(try await subject.queue.reserve(for: "w1", lease: .seconds(30), waitingUpTo: .zero) == nil, "one message")

        let late = try await send(comment("late"))
        #expect(late.id != first.id && !late.digested)
        #expect(try await subject.store.record(for: first.id)?.digest?.count == 25, "a due digest takes no more")
    }

    @Test(arguments: QueueImplementation.allCases)
    func aCanceledDigestGivesUpItsClaim(_ implementation: QueueImplementation) async throws {
        let subject = try implementation.make(clock: clock)
        let send = try sender(subject)
        let first = try await send(comment("a"))
        #expect(try await subject.queue.cancel(first.id)?.canceled == 1)
        let next = try await send(comment("b"))
        #expect(next.id != first.id)
        let joined = try await send(comment("c"))
        #expect(joined.id == next.id && joined.digested)
        #expect(try await subject.store.record(for: next.id)?.content.body == "2:b;c;")
    }
}
