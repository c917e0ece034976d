import Foundation
public import HeraldDomain

/// Accepts a notification request: validates it, persists it and queues one unit per delivery.
/// Returns only once the queue has everything, so a receipt means the notification is safe.
public struct SendNotification: Sendable {
    let planner: NotificationPlanner
    let directory: any ContactDirectory
    let queue: any NotificationIntake
    let store: any NotificationStore
    let idempotency: any IdempotencyStore
    let clock: any WallClock
    let idempotencyKeyLifetime: Duration
    let metrics: DeliveryMetrics?
    let throttles: ThrottleRules
    let throttleCounter: (any ThrottleCounter)?
    let catalog: ManageCatalog?
    /// Where requests of a digest route join their open digest; without it each is sent on its own.
    let digests: (any DigestIntake)?

    /// The longest `Idempotency-Key` accepted.
    public static let maxIdempotencyKeyLength = 255

    public init(
        planner: NotificationPlanner,
        directory: any ContactDirectory,
        queue: any NotificationIntake,
        store: any NotificationStore,
        idempotency: any IdempotencyStore,
        clock: any WallClock,
        idempotencyKeyLifetime: Duration = .seconds(24 * 3600),
        metrics: DeliveryMetrics? = nil,
        throttles: ThrottleRules = ThrottleRules(),
        throttleCounter: (any ThrottleCounter)? = nil,
        catalog: ManageCatalog? = nil,
        digests: (any DigestIntake)? = nil
    ) {
        self.catalog = catalog
        self.digests = digests
        self.throttles = throttles
        self.throttleCounter = throttleCounter
        self.metrics = metrics
        self.planner = planner
        self.directory = directory
        self.queue = queue
        self.store = store
        self.idempotency = idempotency
        self.clock = clock
        self.idempotencyKeyLifetime = idempotencyKeyLifetime
    }

    /// Accepts `request`.
    /// - Parameter idempotencyKey: repeats with the same key and request return the original receipt;
    ///   the same key with another request is `idempotency_key_reused`.
    /// - Throws: ``HeraldError`` with a validation code (nothing was written), or `queue_unavailable`.
    public func callAsFunction(_ request: NotificationRequest, idempotencyKey: String? = nil) async throws
        -> NotificationReceipt
    {
        // Only a keyed request is ever compared with another, so only it pays for the encoding.
        let fingerprint = idempotencyKey == nil ? "" : try Self.fingerprint(of: request)
        if let idempotencyKey {
            try Self.validate(idempotencyKey: idempotencyKey)
            let existing = try await idempotency.entry(for: idempotencyKey)
            if let existing { return try await replay(existing, fingerprint: fingerprint) }
        }
        try NotificationPlanner.validateShape(of: request)
        var scheduledFor = try SendTime.scheduledTime(of: request, now: clock.now)
        try Dedupe.validate(request)
        let user = try await lookUpUser(request.userID)
        if !request.critical, let quietEnd = user?.preferences.quietHoursEnd(at: scheduledFor ?? clock.now) {
            scheduledFor = quietEnd
        }
        let planning = try await RequestPlanning.of(request, planner: planner, throttles: throttles, catalog: catalog)
        let plan = try planning.planner.plan(request, user: user)
        let acceptance = Acceptance(
            request: request, idempotencyKey: idempotencyKey, fingerprint: fingerprint, scheduledFor: scheduledFor)
        if let digest = planning.route?.digest, let template = planning.digestTemplate, let digests, !request.critical,
            let topic = request.topic, let userID = request.userID
        {
            return try await collect(
                acceptance, plan: plan, planning: planning,
                into: DigestTarget(rule: digest, template: template, topic: topic, user: userID, intake: digests))
        }
        var throttledPlan = plan
        throttledPlan.targets = try await throttled(plan.targets, for: request, planning: planning)
        switch try await submit(throttledPlan, acceptance) {
        case .receipt(let receipt): return receipt
        case .digestHeld: throw HeraldError(.queueUnavailable, "the queue answered for a digest that was not asked for")
        }
    }

    /// One request on its way in: what every step of the acceptance needs to know about it.
    struct Acceptance {
        var request: NotificationRequest
        var idempotencyKey: String?
        var fingerprint: String
        var scheduledFor: Date?
        var digestClaim: IdempotencyEntry?
        var digest: DigestContents?

        func idempotencyClaim(for id: NotificationID, now: Date, lifetime: Duration) -> IdempotencyEntry? {
            idempotencyKey.map {
                IdempotencyEntry(key: $0, fingerprint: fingerprint, notificationID: id, expiresAt: now.adding(lifetime))
            }
        }
    }

    enum SubmitResult {
        case receipt(NotificationReceipt)
        /// The digest claim is held by another notification: join that one instead.
        case digestHeld
    }

    /// Builds the record and units of `plan` and hands them to the queue in one submission.
    func submit(_ plan: NotificationPlan, _ acceptance: Acceptance) async throws -> SubmitResult {
        let request = acceptance.request
        let scheduledFor = acceptance.scheduledFor
        let now = clock.now
        let waiting: DeliveryStatus = scheduledFor == nil ? .queued : .scheduled
        // A fallback chain's steps that have somewhere to go; the first is sent now, the others wait on standby.
        let chainSteps = Set(plan.targets.filter { !$0.isSkipped }.compactMap(\.step)).sorted()
        let isOnStandby = { (target: DeliveryTarget) in target.step.map { $0 != chainSteps.first } ?? false }
        let id = acceptance.digestClaim?.notificationID
            ?? queue.newNotificationID(placedWith: request.dedupeKey ?? acceptance.idempotencyKey)
        let record = NotificationRecord(
            id: id, topic: request.topic, userID: request.userID, content: plan.content, createdAt: now,
            deliveries: plan.targets.map {
                DeliveryRecord(
                    channel: $0.channel, recipient: $0.recipient,
                    status: $0.isSkipped ? .skipped : isOnStandby($0) ? .standby : waiting, updatedAt: now,
                    reason: $0.skipReason)
            },
            scheduledFor: scheduledFor,
            fallbackSteps: chainSteps.map { step in
                plan.targets.filter { $0.step == step && !$0.isSkipped }.map {
                    DeliveryID(notificationID: id, channel: $0.channel, recipient: $0.recipient).key
                }
            },
            digest: acceptance.digest)
        let unit = { (target: DeliveryTarget) in
            DeliveryUnit(
                id: DeliveryID(notificationID: id, channel: target.channel, recipient: target.recipient),
                readySince: scheduledFor ?? now)
        }
        let units = plan.targets.filter { !$0.isSkipped && !isOnStandby($0) }.map(unit)
        let standby = plan.targets.filter { !$0.isSkipped && isOnStandby($0) }.map(unit)
        let claim = acceptance.idempotencyClaim(for: id, now: now, lifetime: idempotencyKeyLifetime)
        // A digest's dedupe keys are its items' (see `collect`); only a notification sent alone claims one.
        let dedupe = acceptance.digestClaim != nil ? nil : request.dedupeKey.map {
            IdempotencyEntry(
                key: $0, fingerprint: "", notificationID: id,
                expiresAt: now.addingTimeInterval(TimeInterval(request.dedupeWindowSeconds ?? Dedupe.defaultWindowSeconds)))
        }
        let outcome: SubmissionOutcome
        do {
            outcome = try await queue.enqueue(
                Submission(
                    record: record, units: units, idempotency: claim, readyAt: scheduledFor, dedupe: dedupe,
                    standby: standby, digest: acceptance.digestClaim))
        } catch let error as HeraldError where error.code == .queueUnavailable && error.field != "queue.min_replicas_ack" {
            // The reply may have been lost after the queue applied the write: if the notification exists, it
            // was accepted. Only when it cannot be found is the answer "nothing was accepted". (An accept too few
            // replicas confirmed exists on the master but is not accepted: it stays queue_unavailable.)
            if let stored = try? await store.record(for: record.id) { return .receipt(NotificationReceipt(acceptedRecord: stored)) }
            throw error
        }
        switch outcome {
        case .accepted:
            metrics?.recordAccepted()
            return .receipt(NotificationReceipt(acceptedRecord: record))
        case .duplicate(let existing): return .receipt(try await replay(existing, fingerprint: acceptance.fingerprint))
        case .deduplicated where acceptance.digestClaim != nil: return .digestHeld
        case .deduplicated(let first):
            var receipt = try await store.record(for: first.notificationID).map(NotificationReceipt.init(acceptedRecord:))
                ?? NotificationReceipt(id: first.notificationID, status: .pending, deliveries: [])
            receipt.deduplicated = true
            return .receipt(receipt)
        }
    }

    /// The targets with those over a throttle skipped (reason `throttled`); critical requests are never throttled.
    func throttled(_ targets: [DeliveryTarget], for request: NotificationRequest, planning: RequestPlanning)
        async throws -> [DeliveryTarget]
    {
        guard !request.critical, let throttleCounter else { return targets }
        var targets = targets
        let checks = planning.throttles.checks(
            for: targets, user: request.userID, routedTopic: planning.routedTopic(of: request))
        for check in checks {
            let covered = targets.indices.filter { !targets[$0].isSkipped && check.channels.contains(targets[$0].channel) }
            guard !covered.isEmpty, try await !throttleCounter.admit(check.key, under: check.throttle) else { continue }
            for index in covered { targets[index].skipReason = "throttled" }
        }
        return targets
    }

    func replay(_ entry: IdempotencyEntry, fingerprint: String) async throws -> NotificationReceipt {
        guard entry.fingerprint == fingerprint else {
            throw HeraldError(
                .idempotencyKeyReused, "this Idempotency-Key was used with a different request",
                field: "Idempotency-Key")
        }
        let record = try await store.record(for: entry.notificationID)
        guard let record else {
            throw HeraldError(
                .idempotencyKeyInProgress, "the request with this Idempotency-Key is still being accepted",
                field: "Idempotency-Key")
        }
        return NotificationReceipt(acceptedRecord: record)
    }

    private func lookUpUser(_ id: UserID?) async throws -> UserProfile? {
        guard let id else { return nil }
        let found = try await directory.profileReportingOutages(for: id, field: "user_id")
        guard let user = found else {
            throw HeraldError(.unknownUser, "user \"\(id)\" is not known to the user service", field: "user_id")
        }
        return user
    }

    private static func validate(idempotencyKey key: String) throws(HeraldError) {
        let isPrintableASCII = key.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E }
        guard !key.isEmpty, key.utf8.count <= maxIdempotencyKeyLength, isPrintableASCII else {
            throw HeraldError(
                .invalidValue, "Idempotency-Key must be 1 to \(maxIdempotencyKeyLength) printable ASCII characters",
                field: "Idempotency-Key")
        }
    }

    /// The canonical form of a request: equal requests (whatever their JSON key order) match.
    static func fingerprint(of request: NotificationRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }
}
