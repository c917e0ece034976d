import Foundation
public import HeraldDomain

/// Delivers one reserved unit: loads its notification, skips it if already final, resolves the
/// recipient, sends through the channel, and settles the unit as the retry policy decides.
public struct DeliverNotification: Sendable {
    private let store: any NotificationStore
    private let queue: any DeliveryQueue
    private let channels: ChannelRegistry
    private let contacts: ResolveContact
    private let policy: RetryPolicy
    private let clock: any WallClock
    private let log: any LogSink
    private let limiter: (any RateLimiter)?
    private let metrics: DeliveryMetrics?

    /// - Parameter limiter: enforces channels' `rateLimit`s; without one, limits are not enforced.
    public init(
        store: any NotificationStore, queue: any DeliveryQueue, channels: ChannelRegistry,
        contacts: ResolveContact, policy: RetryPolicy, clock: any WallClock, log: any LogSink,
        limiter: (any RateLimiter)? = nil, metrics: DeliveryMetrics? = nil
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
    }

    /// Processes `reservation` to the end. Errors talking to the queue are logged, not thrown: the
    /// unit's lease then expires and the unit is delivered again (at-least-once).
    public func callAsFunction(_ reservation: Reservation) async {
        do {
            try await deliver(reservation)
        } catch {
            log.log(LogEvent(.error, "delivery interrupted; the unit returns when its lease expires",
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
        guard let record, let delivery = record.delivery(on: id.channel)
        else {
            return try await settle(reservation, .fail(attempts: reservation.unit.attempts,
                reason: "the notification record no longer exists"), delivery: nil)
        }
        guard !delivery.status.isFinal else {
            log.log(LogEvent(.info, "delivery already \(delivery.status.rawValue); not sent again",
                metadata: metadata(reservation)))
            _ = try await queue.acknowledge(reservation, recording: nil)
            return
        }
        guard let registration = channels[id.channel] else {
            return try await settle(reservation, .fail(attempts: reservation.unit.attempts,
                reason: "channel \"\(id.channel)\" is not configured"), delivery: delivery)
        }
        if let wait = try await rateLimitWait(for: registration) {
            _ = try await queue.scheduleRetry(
                reservation, as: reservation.unit, at: clock.now.adding(wait), recording: delivery)
            log.log(LogEvent(.debug, "channel rate limit reached; delivery waits",
                metadata: metadata(reservation).merging(["wait_s": "\(wait.timeInterval)"]) { $1 }))
            return
        }
        let outcome = await attempt(record: record, reservation: reservation, through: registration)
        if Task.isCancelled, case .retry = outcome {
            _ = try await queue.release(reservation)
            return
        }
        var generator = SystemRandomNumberGenerator()
        let decision = policy.decide(
            after: outcome, attemptsBefore: reservation.unit.attempts,
            rateLimitedFor: .nanoseconds(Int64(reservation.unit.rateLimitedSeconds * 1e9)), using: &generator)
        try await settle(reservation, decision, delivery: delivery)
    }

    /// How long to wait before this channel may send again, spread with jitter over one refill interval
    /// so waiting deliveries do not all wake at once; nil when the send may go now. Waiting for Herald's
    /// own limit uses up no attempt and does not count toward the rate-limit give-up time.
    private func rateLimitWait(for registration: ChannelRegistration) async throws -> Duration? {
        guard let limit = registration.rateLimit, let limiter,
            let wait = try await limiter.acquire(registration.name, limit: limit)
        else { return nil }
        return wait + .seconds(Double.random(in: 0..<(1 / limit.perSecond)))
    }

    private func attempt(
        record: NotificationRecord, reservation: Reservation, through registration: ChannelRegistration
    ) async -> DeliveryOutcome {
        let recipients: [String]
        do {
            recipients = try await contacts.recipients(on: registration.descriptor, for: record.userID)
        } catch let error as HeraldError {
            return .failed(reason: error.message)
        } catch {
            return .retry(reason: "the user service is unavailable: \(error)")
        }
        let message = OutgoingMessage(
            deliveryID: reservation.unit.id, topic: record.topic, userID: record.userID,
            subject: record.content.subject, body: record.content.body, recipients: recipients,
            attempt: reservation.unit.attempts + 1)
        do {
            return try await registration.channel.send(message)
        } catch {
            return .retry(reason: "\(error)")
        }
    }

    private func settle(_ reservation: Reservation, _ decision: RetryDecision, delivery: DeliveryRecord?) async throws {
        let now = clock.now
        var updated = delivery
        updated?.updatedAt = now
        let held: Bool
        switch decision {
        case .markSent(let attempts):
            updated?.record(.sent, countingAttempt: attempts > reservation.unit.attempts)
            held = try await queue.acknowledge(reservation, recording: updated)
            if held { metrics?.record(.sent, on: reservation.unit.id.channel) }
            log.log(LogEvent(.info, "delivery sent", metadata: metadata(reservation)))
        case .retry(let attempts, let wait, let reason, let isRateLimited):
            var unit = reservation.unit
            unit.attempts = attempts
            if isRateLimited { unit.rateLimitedSeconds += wait.timeInterval }
            updated?.record(.retrying, countingAttempt: !isRateLimited, error: reason)
            if let updated {
                held = try await queue.scheduleRetry(reservation, as: unit, at: now.adding(wait), recording: updated)
                if held { metrics?.record(isRateLimited ? .rateLimited : .retried, on: reservation.unit.id.channel) }
            } else {
                held = try await queue.deadLetter(reservation, reason: reason, recording: nil)
            }
            log.log(LogEvent(.warning, isRateLimited ? "delivery rate limited; retry scheduled" : "delivery retry scheduled",
                metadata: metadata(reservation).merging(["reason": reason, "retry_in_s": "\(wait.timeInterval)"]) { $1 }))
        case .fail(let attempts, let reason):
            updated?.record(.failed, countingAttempt: attempts > reservation.unit.attempts, error: reason)
            held = try await queue.deadLetter(reservation, reason: reason, recording: updated)
            if held { metrics?.record(.failed, on: reservation.unit.id.channel) }
            log.log(LogEvent(.error, "delivery failed; dead-lettered",
                metadata: metadata(reservation).merging(["reason": reason]) { $1 }))
        }
        if !held {
            log.log(LogEvent(.warning, "lease lost before settling; another worker owns the unit now",
                metadata: metadata(reservation)))
        }
    }

    private func metadata(_ reservation: Reservation) -> [String: String] {
        [
            "notification_id": reservation.unit.id.notificationID.rawValue,
            "channel": reservation.unit.id.channel.rawValue,
            "attempt": "\(reservation.unit.attempts + 1)",
            "worker": reservation.worker.rawValue,
        ]
    }
}

extension DeliveryRecord {
    /// Moves to `status`; the record's `attempts` counts every attempt ever made (resends included),
    /// while the unit's counter is the budget of the current round.
    fileprivate mutating func record(_ status: DeliveryStatus, countingAttempt: Bool, error: String? = nil) {
        self.status = status
        if countingAttempt { attempts += 1 }
        if let error { lastError = error }
    }
}
