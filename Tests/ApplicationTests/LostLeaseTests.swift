import Foundation
import HeraldApplication
import HeraldDomain
import HeraldTesting
import Synchronization
import Testing

/// A queue that loses replies: the first `failingAcknowledges` acknowledgements fail without reaching the queue
/// (the unit stays leased), the first reserve and/or enqueue is applied but its reply is lost.
final class LossyQueue: DeliveryQueue {
    private struct Pending {
        var acknowledges: Int
        var enqueue: Bool
        var reserve: Bool
    }

    let inner: any DeliveryQueue
    private let pending: Mutex<Pending>

    init(
        _ inner: any DeliveryQueue, failingAcknowledges: Int = 0, loseFirstEnqueueReply: Bool = false,
        loseFirstReserveReply: Bool = false
    ) {
        self.inner = inner
        self.pending = Mutex(Pending(acknowledges: failingAcknowledges, enqueue: loseFirstEnqueueReply, reserve: loseFirstReserveReply))
    }

    /// How many acknowledgements were attempted.
    let acknowledgeCalls = Mutex(0)

    func acknowledge(_ reservation: Reservation, recording delivery: DeliveryRecord?) async throws -> Bool {
        acknowledgeCalls.withLock { $0 += 1 }
        if pending.withLock({ state in defer { state.acknowledges -= 1 }; return state.acknowledges > 0 }) { throw HeraldError(.queueUnavailable, "the reply was lost") }
        return try await inner.acknowledge(reservation, recording: delivery)
    }

    func enqueue(_ submission: Submission) async throws -> SubmissionOutcome {
        let outcome = try await inner.enqueue(submission)
        if pending.withLock({ state in defer { state.enqueue = false }; return state.enqueue }) { throw HeraldError(.queueUnavailable, "the reply was lost") }
        return outcome
    }
    func reserve(for worker: WorkerID, lease: Duration, waitingUpTo wait: Duration) async throws -> Reservation? {
        let reservation = try await inner.reserve(for: worker, lease: lease, waitingUpTo: wait)
        if reservation != nil, pending.withLock({ state in defer { state.reserve = false }; return state.reserve }) {
            throw HeraldError(.queueUnavailable, "the reply was lost")
        }
        return reservation
    }
    func scheduleRetry(_ reservation: Reservation, as unit: DeliveryUnit, at date: Date, recording delivery: DeliveryRecord)
        async throws -> Bool
    { try await inner.scheduleRetry(reservation, as: unit, at: date, recording: delivery) }
    func deadLetter(_ reservation: Reservation, reason: String, recording delivery: DeliveryRecord?) async throws -> Bool {
        try await inner.deadLetter(reservation, reason: reason, recording: delivery)
    }
    func release(_ reservation: Reservation) async throws -> Bool { try await inner.release(reservation) }
    func requeue(_ notificationID: NotificationID, deliveries: [DeliveryID]) async throws -> [DeliveryID] {
        try await inner.requeue(notificationID, deliveries: deliveries)
    }
    func cancel(_ notificationID: NotificationID) async throws -> Cancellation? { try await inner.cancel(notificationID) }
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
    private struct Setup {
        let clock = ManualClock()
        let store: InMemoryNotificationStore
        let memory: InMemoryDeliveryQueue
        let queue: LossyQueue
        let slack = RecordingChannel()
        let worker: HeraldWorker
        let send: SendNotification

        init(failingAcknowledges: Int = 0, loseFirstReserveReply: Bool = false) {
            store = InMemoryNotificationStore(clock: clock)
            memory = InMemoryDeliveryQueue(store: store, idempotency: InMemoryIdempotencyStore(clock: clock), clock: clock)
            queue = LossyQueue(memory, failingAcknowledges: failingAcknowledges, loseFirstReserveReply: loseFirstReserveReply)
            let registry = ChannelRegistry([ChannelRegistration("slack", channel: slack)])
            let deliver = DeliverNotification(
                store: store, queue: queue, channels: registry, contacts: ResolveContact(directory: InMemoryContactDirectory()),
                policy: RetryPolicy(), clock: clock, log: SilentLogSink(),
                settleRetry: SettleRetry(initialDelay: .milliseconds(10), maxDelay: .milliseconds(40)))
            worker = HeraldWorker(
                queue: queue, deliver: deliver, clock: clock, log: SilentLogSink(),
                configuration: HeraldWorker.Configuration(concurrency: 1, lease: .seconds(40)))
            send = SendNotification(
                planner: NotificationPlanner(
                    resolver: TargetResolver(routes: RoutingTable(["sales": ["slack"]]), channels: registry.descriptors),
                    templates: TemplateCatalog()),
                directory: InMemoryContactDirectory(), queue: queue, store: store,
                idempotency: InMemoryIdempotencyStore(clock: clock), clock: clock)
        }

        /// Runs the worker, moving the manual clock on, until `done` holds.
        func runWorker(until done: @Sendable () async throws -> Bool) async throws {
            let running = Task { try await worker.run() }
            let ticker = Task { [clock] in
                while !Task.isCancelled {
                    clock.advance(by: .seconds(1))
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            while try await !done() { try await Task.sleep(for: .milliseconds(5)) }
            ticker.cancel()
            running.cancel()
            try await running.value
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aLiveWorkerGivesBackAUnitItLostTrackOfAndItIsDeliveredOnce() async throws {
        let setup = Setup(loseFirstReserveReply: true)
        let id = try await setup.send(NotificationRequest(topic: "sales", message: "m")).id
        try await setup.runWorker { [store = setup.store] in try await store.record(for: id)?.status == .sent }

        #expect(setup.slack.outgoing.map(\.deliveryID) == [DeliveryID(notificationID: id, channel: "slack")])
        #expect(try await setup.memory.depth().isIdle)
    }

    @Test(.timeLimit(.minutes(1)))
    func aSettleThatDidNotReachTheQueueIsRepeatedAndTheUnitIsNeverSentAgain() async throws {
        let setup = Setup(failingAcknowledges: 3)
        let id = try await setup.send(NotificationRequest(topic: "sales", message: "m")).id
        try await setup.runWorker { [store = setup.store] in try await store.record(for: id)?.status == .sent }
        setup.clock.advance(by: .seconds(120))
        #expect(try await setup.memory.recoverExpiredLeases() == LeaseRecovery())

        #expect(setup.queue.acknowledgeCalls.withLock { $0 } == 4)
        #expect(setup.slack.outgoing.count == 1)
        #expect(try await setup.memory.depth().isIdle)
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
