import Foundation
import HeraldDomain

/// Digests (contract §11): a route's `digest` makes a user's notifications of the topic, inside the window
/// that begins with the first, one message. The first request becomes the digest notification, scheduled for
/// the window's end; each later one joins it: the digest's message is rendered again over every item and
/// stored by compare-and-set, so concurrent joins from any process each count once.
extension SendNotification {
    /// Where a request of a digest route is collected.
    struct DigestTarget {
        var rule: Digest
        var template: MessageTemplate
        var topic: Topic
        var user: UserID
        var intake: any DigestIntake

        var key: String { DigestContents.key(topic: topic, user: user) }
    }

    /// How often a join or a start is tried again when another request changed the digest in between; after each
    /// lost round a join waits a random moment, growing with the rounds, so concurrent joins spread out.
    private static let digestRounds = 100

    func collect(
        _ acceptance: Acceptance, plan: NotificationPlan, planning: RequestPlanning, into digest: DigestTarget
    ) async throws -> NotificationReceipt {
        let item = DigestContents.item(for: acceptance.request, content: plan.content)
        var started: NotificationPlan?
        for round in 0..<Self.digestRounds {
            // A digest that closed while its claim is still held (the two clocks disagree for a moment) is met again
            // at once: wait a little, growing, instead of spinning through every round.
            if round > 0 { try await Task.sleep(for: .milliseconds(Int.random(in: 1...(2 * min(round, 25))))) }
            if let open = try await digest.intake.openDigest(for: digest.key),
                let receipt = try await join(open, item: item, acceptance, digest)
            {
                return receipt
            }
            if started == nil {
                // The digest's one delivery set: the first request's targets, throttled once for the whole digest.
                var first = plan
                first.targets = try await throttled(plan.targets, for: acceptance.request, planning: planning)
                started = first
            }
            var starting = started!
            let contents = DigestContents().adding(item)
            starting.content = try contents.render(with: digest.template, topic: digest.topic, user: digest.user)
            let now = clock.now
            let due = max(acceptance.scheduledFor ?? now, now.adding(digest.rule.window))
            var first = acceptance
            first.scheduledFor = due
            first.digest = contents
            first.digestClaim = IdempotencyEntry(key: digest.key, fingerprint: "", notificationID: queue.newNotificationID(placedWith: digest.key), expiresAt: due)
            if case .receipt(let receipt) = try await submit(starting, first) { return receipt }
        }
        throw HeraldError(.queueUnavailable, "the digest of \(digest.topic) for \(digest.user) kept changing; try again")
    }

    /// Adds `item` to the open digest `id`; nil when it no longer collects (a new one must start).
    private func join(
        _ id: NotificationID, item: JSONValue, _ acceptance: Acceptance, _ digest: DigestTarget
    ) async throws -> NotificationReceipt? {
        for round in 0..<Self.digestRounds {
            if round > 0 { try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 * min(round, 25))))) }
            // Whether it is due is the queue's to say (`appendToDigest`, by the queue's clock, not this process's).
            guard let record = try await store.record(for: id), record.isUnstartedDigest,
                let contents = record.digest
            else { return nil }
            if let key = acceptance.request.dedupeKey, contents.holds(dedupeKey: key) {
                var receipt = NotificationReceipt(acceptedRecord: record)
                receipt.deduplicated = true
                return receipt
            }
            let next = contents.adding(item)
            let content = try next.render(with: digest.template, topic: digest.topic, user: digest.user)
            let claim = acceptance.idempotencyClaim(for: id, now: clock.now, lifetime: idempotencyKeyLifetime)
            switch try await digest.intake.appendToDigest(
                id, content: content, contents: next, expectedCount: contents.count, idempotency: claim)
            {
            case .appended:
                metrics?.recordAccepted()
                var receipt = NotificationReceipt(acceptedRecord: record)
                receipt.digested = true
                return receipt
            case .changed: continue
            case .closed: return nil
            case .duplicate(let entry): return try await replay(entry, fingerprint: acceptance.fingerprint)
            }
        }
        throw HeraldError(.queueUnavailable, "the digest \(id) kept changing; try again")
    }
}
