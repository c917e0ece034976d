public import Foundation

/// Takes units off the queue and delivers them, ``Configuration/concurrency`` at a time.
///
/// ``run()`` follows the service-lifecycle convention: it runs until its task is cancelled, then
/// stops reserving, lets in-flight deliveries finish (or, after the shutdown timeout, returns them
/// to the queue) and returns. Hosts run it through `Herald.run()`,
/// whose `stop()` (and swift-service-lifecycle's graceful shutdown, through `HeraldService`) cancels it.
public struct HeraldWorker: Sendable {
    public let configuration: Configuration
    private let queue: any DeliveryLeasing & LeaseMaintenance & QueueInspection
    private let deliver: DeliverNotification
    private let clock: any WallClock
    private let log: any LogSink
    private let inFlight = InFlightTokens()

    public init(
        queue: any DeliveryLeasing & LeaseMaintenance & QueueInspection, deliver: DeliverNotification, clock: any WallClock, log: any LogSink,
        configuration: Configuration = Configuration()
    ) {
        self.queue = queue
        self.deliver = deliver
        self.clock = clock
        self.log = log
        self.configuration = configuration
    }

    /// Delivers until the task is cancelled; returns once in-flight work is finished or returned.
    public func run() async throws {
        log.log(LogEntry(.info, "worker started", metadata: [
            "worker": configuration.id.rawValue, "concurrency": "\(configuration.concurrency)",
        ]))
        // The heartbeat runs in a task of its own so that it keeps renewing this worker's leases while
        // in-flight deliveries finish after cancellation; it stops once every delivery loop has returned.
        let maintenance = Task { await maintenanceLoop() }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<configuration.concurrency {
                group.addTask { await deliveryLoop() }
            }
        }
        maintenance.cancel()
        await maintenance.value
        log.log(LogEntry(.info, "worker stopped", metadata: ["worker": configuration.id.rawValue]))
    }

    /// Delivers every unit that is ready, one at a time, and returns how many it processed.
    ///
    /// When retries are scheduled and nothing else is ready, `waitForRetries` is called with the time
    /// the next one is due (a test advances its `ManualClock`; a script sleeps); pass nil to return instead.
    @discardableResult
    public func drain(waitForRetries: (@Sendable (Date) async throws -> Void)? = nil) async throws -> Int {
        var processed = 0
        while true {
            try Task.checkCancellation()
            _ = try await queue.recoverExpiredLeases()
            if let reservation = try await queue.reserve(
                for: configuration.id, lease: configuration.lease, waitingUpTo: .zero)
            {
                await deliver(reservation)
                processed += 1
                continue
            }
            let depth = try await queue.depth()
            guard depth.scheduled > 0, let due = depth.nextScheduledAt, let waitForRetries else { return processed }
            try await waitForRetries(due)
        }
    }

    private func deliveryLoop() async {
        var isQueueDown = false
        while !Task.isCancelled {
            let reservation: Reservation?
            do {
                reservation = try await queue.reserve(
                    for: configuration.id, lease: configuration.lease, waitingUpTo: configuration.reserveWait)
                if isQueueDown {
                    isQueueDown = false
                    log.log(LogEntry(.info, "the queue is reachable again", metadata: ["worker": configuration.id.rawValue]))
                }
            } catch {
                guard !Task.isCancelled else { return }
                if !isQueueDown {
                    isQueueDown = true
                    log.log(LogEntry(.error, "cannot reserve work; the queue is unavailable (retrying every second)",
                        metadata: ["error": "\(error)", "worker": configuration.id.rawValue]))
                }
                try? await clock.sleep(for: configuration.unavailableBackoff)
                continue
            }
            if let reservation {
                inFlight.insert(reservation.token)
                await finish(reservation)
                inFlight.remove(reservation.token)
            }
        }
    }

    /// Runs the delivery in a task of its own, so shutdown does not cut it short; if shutdown begins,
    /// the delivery gets ``Configuration/shutdownTimeout`` before it is cancelled (and its unit released).
    private func finish(_ reservation: Reservation) async {
        let work = Task { await deliver(reservation) }
        let countdown = ShutdownCountdown()
        await withTaskCancellationHandler {
            await work.value
        } onCancel: { [clock, timeout = configuration.shutdownTimeout] in
            countdown.start {
                do {
                    try await clock.sleep(for: timeout)
                    work.cancel()
                } catch {
                    return
                }
            }
        }
        countdown.stop()
    }

    /// Gives back units this worker holds but no delivery loop is working on (an error came between
    /// reserving and settling). A token counts as lost only when seen so in two passes in a row, so a unit
    /// reserved a moment before the check is never taken from the loop about to deliver it.
    private func releaseLostLeases(suspects: Set<String>) async throws -> Set<String> {
        let orphans = try await queue.leasedTokens(of: configuration.id).subtracting(inFlight.current)
        let lost = orphans.intersection(suspects)
        if !lost.isEmpty {
            let released = try await queue.releaseLeases(of: configuration.id, tokens: lost)
            log.log(LogEntry(.warning, "returned units this worker had lost track of to the queue", metadata: [
                "worker": configuration.id.rawValue, "released": "\(released)",
            ]))
        }
        return orphans.subtracting(lost)
    }

    /// Heartbeats this worker's leases, gives back units it lost track of, and recovers other workers'
    /// expired leases, every ``Configuration/recoveryInterval`` (a quarter of the lease by default).
    private func maintenanceLoop() async {
        var suspects: Set<String> = []
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: configuration.recoveryInterval)
                try await queue.renewLeases(of: configuration.id, for: configuration.lease)
                suspects = try await releaseLostLeases(suspects: suspects)
                let recovery = try await queue.recoverExpiredLeases()
                if recovery.recovered + recovery.deadLettered > 0 {
                    log.log(LogEntry(.warning, "recovered units from expired leases", metadata: [
                        "recovered": "\(recovery.recovered)", "dead_lettered": "\(recovery.deadLettered)",
                    ]))
                }
            } catch is CancellationError {
                return
            } catch {
                log.log(LogEntry(.error, "lease recovery failed", metadata: ["error": "\(error)"]))
            }
        }
    }
}
