import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Synchronization
import Testing

/// A queue that loses replies once: the first acknowledgement fails without reaching the queue (the unit
/// stays leased), and/or the first enqueue is applied but its reply is lost.
final class LossyQueue: DeliveryQueue {
    struct LostReply: Error {}

    let inner: any DeliveryQueue
    private let pending: Mutex<(acknowledge: Bool, enqueue: Bool)>

    init(_ inner: any DeliveryQueue, loseFirstAcknowledge: Bool = false, loseFirstEnqueueReply: Bool = false) {
        self.inner = inner
        self.pending = Mutex((loseFirstAcknowledge, loseFirstEnqueueReply))
    }

    func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        if pending.withLock({ state in defer { state.acknowledge = false }; return state.acknowledge }) { throw LostReply() }
        return try await inner.acknowledge(reservation, recording: delivery)
    }

    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let outcome = try await inner.enqueue(submission)
        if pending.withLock({ state in defer { state.enqueue = false }; return state.enqueue }) { throw LostReply() }
        return outcome
    }
    func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation? {
        try await inner.reserve(for: worker, lease: lease, waitingUpTo: wait)
    }
    func scheduleRetry(_ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord)
        async throws -> Bool
    { try await inner.scheduleRetry(reservation, as: unit, at: date, recording: delivery) }
    func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?) async throws -> Bool {
        try await inner.deadLetter(reservation, reason: reason, recording: delivery)
    }
    func release(_ reservation: Reservation) async throws -> Bool { try await inner.release(reservation) }
    func requeue(_ notificationID: NotificationID, channels: [ChannelName]) async throws -> [ChannelName] {
        try await inner.requeue(notificationID, channels: channels)
    }
    func renewLeases(of worker: WorkerID, for lease: Duration) async throws { try await inner.renewLeases(of: worker, for: lease) }
    func leasedTokens(of worker: WorkerID) async throws -> Set<String> { try await inner.leasedTokens(of: worker) }
    func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int {
        try await inner.releaseLeases(of: worker, tokens: tokens)
    }
    func recoverExpiredLeases() async throws -> LeaseRecovery { try await inner.recoverExpiredLeases() }
    func depth() async throws -> QueueDepth { try await inner.depth() }
    func deadLetters(limit: Int) async throws -> [DeadLetter] { try await inner.deadLetters(limit: limit) }
}

@Suite struct LostLeaseTests {
    @Test(.timeLimit(.minutes(1)))
    func aLiveWorkerGivesBackAUnitItLostTrackOfAndItIsDeliveredAgain() async throws {
        let clock = ManualClock()
        let store = InMemoryNotificationStore(clock: clock)
        let memory = InMemoryDeliveryQueue(store: store, idempotency: InMemoryIdempotencyStore(clock: clock), clock: clock)
        let queue = LossyQueue(memory, loseFirstAcknowledge: true)
        let slack = RecordingChannel()
        let registry = ChannelRegistry([ChannelRegistration("slack", channel: slack)])
        let deliver = DeliverNotification(
            store: store, queue: queue, channels: registry, contacts: ResolveContact(directory: InMemoryContactDirectory()),
            policy: RetryPolicy(), clock: clock, log: SilentLogSink())
        let worker = HeraldWorker(
            queue: queue, deliver: deliver, clock: clock, log: SilentLogSink(),
            configuration: HeraldWorker.Configuration(concurrency: 1, lease: .seconds(40)))
        let send = SendNotification(
            planner: NotificationPlanner(
                resolver: TargetResolver(routes: RoutingTable(["sales": ["slack"]]), channels: registry.descriptors),
                templates: TemplateCatalog()),
            directory: InMemoryContactDirectory(), queue: queue, store: store,
            idempotency: InMemoryIdempotencyStore(clock: clock), clock: clock)
        let id = try await send(NotificationRequest(topic: "sales", message: "m")).id

        let running = Task { try await worker.run() }
        await slack.waitForMessages(count: 1)
        let ticker = Task {
            while !Task.isCancelled {
                clock.advance(by: .seconds(1))
                await Task.yield()
            }
        }
        await slack.waitForMessages(count: 2)
        ticker.cancel()
        running.cancel()
        try await running.value

        #expect(slack.outgoing.map(\.deliveryID) == [DeliveryID(notificationID: id, channel: "slack")] + [DeliveryID(notificationID: id, channel: "slack")])
        #expect(try await store.record(for: id)?.status == .sent)
        #expect(try await memory.depth().isIdle)
    }
}

@Suite struct LostAcceptReplyTests {
    @Test func aNotificationWrittenBeforeItsReplyWasLostIsReportedAccepted() async throws {
        let store = InMemoryNotificationStore()
        let idempotency = InMemoryIdempotencyStore()
        let queue = LossyQueue(InMemoryDeliveryQueue(store: store, idempotency: idempotency), loseFirstEnqueueReply: true)
        let send = SendNotification(
            planner: NotificationPlanner(
                resolver: TargetResolver(routes: RoutingTable(["sales": ["slack"]]), channels: ["slack": ChannelDescriptor(name: "slack")]),
                templates: TemplateCatalog()),
            directory: InMemoryContactDirectory(), queue: queue, store: store, idempotency: idempotency, clock: SystemClock())
        let receipt = try await send(NotificationRequest(topic: "sales", message: "m"))
        #expect(receipt.status == .pending)
        #expect(try await store.record(for: receipt.id) != nil)
        #expect(store.count == 1)
    }
}
