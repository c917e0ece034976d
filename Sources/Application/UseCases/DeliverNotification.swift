import Foundation
public import HeraldDomain

/// Delivers one reserved unit: loads its notification, skips it if already final, resolves the
/// recipient, sends through the channel, and settles the unit as the retry policy decides.
public struct DeliverNotification: Sendable {
    private let store: any NotificationStore
    private let queue: any DeliveryLeasing
    private let channels: ChannelRegistry
    private let contacts: ResolveContact
    private let policy: RetryPolicy
    private let clock: any WallClock
    private let log: any LogSink
    private let limiter: (any RateLimiter)?
    private let metrics: DeliveryMetrics?
    private let settleRetry: SettleRetry

    /// - Parameters:
    ///   - limiter: enforces channels' `rateLimit`s; without one, limits are not enforced.
    ///   - settleRetry: how a settle that did not reach the queue is tried again.
    public init(
        store: any NotificationStore, queue: any DeliveryLeasing, channels: ChannelRegistry,
        contacts: ResolveContact, policy: RetryPolicy, clock: any WallClock, log: any LogSink,
        limiter: (any RateLimiter)? = nil, metrics: DeliveryMetrics? = nil, settleRetry: SettleRetry = SettleRetry()
    ) {
        self.limiter = limiter
        self.metrics = metrics
        self.store = store
        self.queue = queue
        self.channels = channels
        self.contacts = contacts
        self.policy = policy
        self.clock = clock
        self.log = log
        self.settleRetry = settleRetry
    }

    /// Processes `reservation` to the end. Errors talking to the queue are logged, not thrown: the
    /// unit's lease then expires and the unit is delivered again (at-least-once).
    public func callAsFunction(_ reservation: Reservation) async {
        do {
            try await deliver(reservation)
        } catch {
            log.log(LogEntry(.error, "delivery interrupted; the unit returns when its lease expires",
                metadata: metadata(reservation).merging(["error": "\(error)"]) { $1 }))
        }
    }

    private func deliver(_ reservation: Reservation) async throws {
        let id = reservation.unit.id
        let record: NotificationRecord?
        if let prefetched = reservation.record {
            record = prefetched
        } else {
            record = try await store.record(for: id.notificationID)
        }
        guard let record, let delivery = record.delivery(id) else {
            return try await settle(reservation, .fail(reason: "the notification record no longer exists"),
                delivery: nil, sent: false)
        }
        guard !delivery.status.isFinal else {
            log.log(LogEntry(.info, "delivery already \(delivery.status.rawValue); not sent again",
                metadata: metadata(reservation)))
            _ = try await persistently(reservation) { try await queue.acknowledge(reservation, recording: nil) }
            return
        }
        guard let registration = channels[id.channel] else {
            return try await settle(reservation, .fail(reason: "channel \"\(id.channel)\" is not configured"),
                delivery: delivery, sent: false)
        }
        if !reservation.unit.holdsRateLimitSlot, let wait = try await rateLimitWait(for: registration) {
            // Herald's own limit is not the provider's: the wait is no attempt and does not count toward
            // the rate-limit give-up, so a streak in progress is moved on by the wait. The slot is taken now,
            // so the unit sends when it is due without asking the limiter again.
            var unit = reservation.unit
            unit.holdsRateLimitSlot = true
            unit.rateLimitedSince = unit.rateLimitedSince?.adding(wait)
            _ = try await persistently(reservation) {
                try await queue.scheduleRetry(reservation, as: unit, at: clock.now.adding(wait), recording: delivery)
            }
            log.log(LogEntry(.debug, "channel rate limit reached; delivery waits",
                metadata: metadata(reservation).merging(["wait_s": "\(wait.timeInterval)"]) { $1 }))
            return
        }
        let outcome = await attempt(record: record, delivery: delivery, reservation: reservation, through: registration)
        if Task.isCancelled, case .retry = outcome.outcome {
            // A send cut short by shutdown goes back to the head of the queue as it was (no attempt counted):
            // the provider may or may not have it, the one duplicate window a stop opens (docs/operations.md).
            _ = try await queue.release(reservation)
            return
        }
        if case .addressGone = outcome.outcome, let token = delivery.recipient, let userID = record.userID {
            await forgetDevice(token, of: userID, reservation: reservation)
        }
        var generator = SystemRandomNumberGenerator()
        let decision = policy.decide(
            after: outcome.outcome, progress: reservation.unit.progress, now: clock.now, using: &generator)
        try await settle(reservation, decision, delivery: delivery, sent: outcome.sent, took: outcome.duration)
    }

    /// Removes a push token its provider called gone from the user, so no later notification sends to it.
    /// A failure to do so is logged and changes nothing else: the delivery fails either way.
    private func forgetDevice(_ token: String, of userID: UserID, reservation: Reservation) async {
        var details = metadata(reservation)
        details["user_id"] = userID.rawValue
        do {
            if try await contacts.forgetDevice(token: token, of: userID) {
                log.log(LogEntry(.info, "device token removed from the user: the provider called it gone", metadata: details))
            } else {
                log.log(LogEntry(.warning, "the provider called the device token gone; the user service is read-only and keeps it",
                    metadata: details))
            }
        } catch {
            details["error"] = "\(error)"
            log.log(LogEntry(.error, "could not remove a gone device token from the user", metadata: details))
        }
    }

    /// How long to wait for the send slot taken from this channel's limit; nil when the send may go now.
    private func rateLimitWait(for registration: ChannelRegistration) async throws -> Duration? {
        guard let limit = registration.rateLimit, let limiter else { return nil }
        return try await limiter.acquire(registration.name, limit: limit)
    }

    /// Sends the message; `sent` says whether a send was made at all (a missing contact makes none).
    private func attempt(
        record: NotificationRecord, delivery: DeliveryRecord, reservation: Reservation,
        through registration: ChannelRegistration
    ) async -> (outcome: DeliveryOutcome, sent: Bool, duration: Duration) {
        let recipients: [String]
        if let recipient = delivery.recipient {
            recipients = [recipient]
        } else {
            do {
                recipients = try await contacts.recipients(on: registration.descriptor, for: record.userID)
            } catch let error as HeraldError {
                return (.failed(reason: error.message), false, .zero)
            } catch {
                return (.retry(reason: "the user service is unavailable: \(error)"), false, .zero)
            }
        }
        let text = record.content.text(for: delivery.channel)
        let message = OutgoingMessage(
            deliveryID: reservation.unit.id, topic: record.topic, userID: record.userID,
            subject: text.subject, body: text.body, recipients: recipients,
            attempt: delivery.attempts + 1, data: record.content.data, priority: record.content.priority,
            collapseKey: record.content.collapseKey)
        let started = ContinuousClock.now
        do {
            let outcome = try await registration.channel.send(message)
            return (outcome, true, ContinuousClock.now - started)
        } catch {
            return (.retry(reason: "\(error)"), true, ContinuousClock.now - started)
        }
    }

    private func settle(
        _ reservation: Reservation, _ decision: RetryDecision, delivery: DeliveryRecord?, sent: Bool,
        took duration: Duration = .zero
    ) async throws {
        let now = clock.now
        var updated = delivery
        updated?.updatedAt = now
        if sent {
            updated?.attempts += 1
            updated?.record(DeliveryAttempt(
                at: now, outcome: decision.attemptOutcome, error: decision.reason,
                durationMilliseconds: Int(duration.timeInterval * 1000)))
        }
        let channel = reservation.unit.id.channel
        let held: Bool
        switch decision {
        case .markSent:
            updated?.status = .sent
            held = try await persistently(reservation) { try await queue.acknowledge(reservation, recording: updated) }
            if held { metrics?.record(.sent, on: channel, duration: duration) }
            log.log(LogEntry(.info, "delivery sent", metadata: metadata(reservation)))
        case .retry(let wait, let reason, let progress, let isRateLimited):
            var unit = reservation.unit
            unit.progress = progress
            // It was sent and its worker lived to settle it: it no longer needs to be delivered alone.
            unit.isSuspect = false
            unit.holdsRateLimitSlot = false
            updated?.status = .retrying
            updated?.lastError = reason
            if let updated {
                held = try await persistently(reservation) {
                    try await queue.scheduleRetry(reservation, as: unit, at: now.adding(wait), recording: updated)
                }
                if held { metrics?.record(isRateLimited ? .rateLimited : .retried, on: channel, duration: duration) }
            } else {
                held = try await persistently(reservation) {
                    try await queue.deadLetter(reservation, reason: reason, recording: nil)
                }
            }
            log.log(LogEntry(.warning, isRateLimited ? "delivery rate limited; retry scheduled" : "delivery retry scheduled",
                metadata: metadata(reservation).merging(["reason": reason, "retry_in_s": "\(wait.timeInterval)"]) { $1 }))
        case .fail(let reason):
            updated?.status = .failed
            updated?.lastError = reason
            held = try await persistently(reservation) {
                try await queue.deadLetter(reservation, reason: reason, recording: updated)
            }
            if held { metrics?.record(.failed, on: channel, duration: duration) }
            log.log(LogEntry(.error, "delivery failed; dead-lettered",
                metadata: metadata(reservation).merging(["reason": reason]) { $1 }))
        }
        if !held {
            log.log(LogEntry(.warning, "lease lost before settling; another worker owns the unit now",
                metadata: metadata(reservation)))
        }
    }

    /// Runs a settle until the queue answers. Settles are idempotent (a repeat of one that was applied
    /// finds the unit gone and changes nothing), and the unit stays leased to this worker meanwhile (its
    /// heartbeat goes on), so a settle lost to an outage is applied late instead of the unit being
    /// recovered and sent again. Only cancellation (shutdown past its timeout) stops the repeats.
    /// A repeat that finds the unit gone after an earlier try got no answer counts as held: that earlier try
    /// was applied (the heartbeat kept the lease meanwhile).
    private func persistently(_ reservation: Reservation, _ operation: () async throws -> Bool) async throws -> Bool {
        var delay = settleRetry.initialDelay
        var reported = false
        while true {
            do {
                let held = try await operation()
                if reported {
                    log.log(LogEntry(.info, "settle reached the queue", metadata: metadata(reservation)))
                }
                return held || reported
            } catch let error as CancellationError {
                throw error
            } catch {
                if Task.isCancelled { throw error }
                if !reported {
                    reported = true
                    log.log(LogEntry(.error, "cannot settle the delivery; the queue is unavailable (retrying)",
                        metadata: metadata(reservation).merging(["error": "\(error)"]) { $1 }))
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, settleRetry.maxDelay)
            }
        }
    }

    private func metadata(_ reservation: Reservation) -> [String: String] {
        var metadata = [
            "notification_id": reservation.unit.id.notificationID.rawValue,
            "channel": reservation.unit.id.channel.rawValue,
            "attempt": "\(reservation.unit.attempts + 1)",
            "worker": reservation.worker.rawValue,
        ]
        if let recipient = reservation.unit.id.recipient { metadata["recipient"] = RecipientMask.mask(recipient) }
        return metadata
    }
}

/// How ``DeliverNotification`` repeats a settle that did not reach the queue: from ``initialDelay``,
/// doubling up to ``maxDelay``, until the queue answers.
public struct SettleRetry: Hashable, Sendable {
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(initialDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.initialDelay = initialDelay
        self.maxDelay = max(initialDelay, maxDelay)
    }
}
