public import Foundation

/// An accepted notification as persisted: what to send, to whom, and each delivery's state.
public struct NotificationRecord: Hashable, Sendable, Codable {
    /// Herald's identifier for it.
    public var id: NotificationID
    /// The topic it was sent on, if any.
    public var topic: Topic?
    /// The recipient user, if any; contacts are resolved at delivery time.
    public var userID: UserID?
    /// The rendered subject and body.
    public var content: RenderedContent
    /// When it was accepted.
    public var createdAt: Date
    /// One entry per delivery (per channel, or per channel and recipient), in target order.
    public var deliveries: [DeliveryRecord]
    /// When its deliveries become due, if it was scheduled (`send_at`, `delay_s`).
    public var scheduledFor: Date?
    /// When it was canceled, if it was; a delivery in flight at that moment ends as what it really was.
    public var canceledAt: Date?
    /// A fallback chain's steps, in order, each the delivery keys it holds (steps skipped at acceptance left out);
    /// empty when the notification has no chain.
    public var fallbackSteps: [[String]]
    /// What a digest notification has collected; nil for every other notification.
    public var digest: DigestContents?

    public init(
        id: NotificationID, topic: Topic?, userID: UserID?, content: RenderedContent, createdAt: Date,
        deliveries: [DeliveryRecord], scheduledFor: Date? = nil, canceledAt: Date? = nil, fallbackSteps: [[String]] = [],
        digest: DigestContents? = nil
    ) {
        self.digest = digest
        self.fallbackSteps = fallbackSteps
        self.scheduledFor = scheduledFor
        self.canceledAt = canceledAt
        self.id = id
        self.topic = topic
        self.userID = userID
        self.content = content
        self.createdAt = createdAt
        self.deliveries = deliveries
    }

    /// Whether every delivery is final: nothing will happen to this record unless someone asks for it.
    public var isFinished: Bool { deliveries.allSatisfy(\.status.isFinal) }

    /// The aggregate status of the deliveries.
    public var status: NotificationStatus {
        NotificationStatus(aggregating: deliveries.filter { !$0.fellBack }.map(\.status))
    }

    /// Moves the fallback chain on after the delivery `key` changed: when its step has one sent, the later steps
    /// still on standby are skipped; when the whole step failed, it is marked fallen back and the next step's
    /// deliveries become queued. Returns the keys that became queued (their units must be made ready).
    public mutating func advanceFallback(after key: String, at now: Date) -> [String] {
        guard let step = fallbackSteps.firstIndex(where: { $0.contains(key) }) else { return [] }
        let statuses = fallbackSteps[step].compactMap { key in deliveries.first { $0.key == key }?.status }
        let later = fallbackSteps[(step + 1)...].flatMap { $0 }
        if statuses.contains(.sent) {
            for index in deliveries.indices where later.contains(deliveries[index].key) && deliveries[index].status == .standby {
                deliveries[index].status = .skipped
                deliveries[index].reason = "an earlier fallback step was sent"
                deliveries[index].updatedAt = now
            }
            return []
        }
        guard !statuses.contains(where: \.isOpen), step + 1 < fallbackSteps.count else { return [] }
        var activated: [String] = []
        for index in deliveries.indices {
            let key = deliveries[index].key
            if fallbackSteps[step].contains(key), deliveries[index].status == .failed { deliveries[index].fellBack = true }
            if fallbackSteps[step + 1].contains(key), deliveries[index].status == .standby {
                deliveries[index].status = .queued
                deliveries[index].updatedAt = now
                activated.append(key)
            }
        }
        return activated
    }

    /// Whether this is a digest still collecting at `now`: not canceled, not due, and no delivery begun.
    public func isCollectingDigest(at now: Date) -> Bool {
        guard let due = scheduledFor, now < due else { return false }
        return isUnstartedDigest
    }

    /// Whether this is a digest that is not canceled and has no delivery begun, whatever the time: whether it
    /// is due is for the queue's clock to say (the one that makes it ready).
    public var isUnstartedDigest: Bool {
        guard digest != nil, canceledAt == nil, scheduledFor != nil else { return false }
        return deliveries.allSatisfy { [.scheduled, .standby, .skipped].contains($0.status) }
    }

    /// Marks every delivery not yet final `canceled` at `now`; returns the ones it canceled.
    @discardableResult
    public mutating func cancel(at now: Date) -> [DeliveryRecord] {
        var canceled: [DeliveryRecord] = []
        for index in deliveries.indices where deliveries[index].status.isOpen {
            deliveries[index].status = .canceled
            deliveries[index].updatedAt = now
            canceled.append(deliveries[index])
        }
        if !canceled.isEmpty { canceledAt = now }
        return canceled
    }

    /// The delivery `id` names, if the notification has it.
    public func delivery(_ id: DeliveryID) -> DeliveryRecord? {
        deliveries.first { $0.channel == id.channel && $0.recipient == id.recipient }
    }

    /// Applies `change` to the delivery `id` names; returns false when there is none.
    @discardableResult
    public mutating func updateDelivery(_ id: DeliveryID, _ change: (inout DeliveryRecord) -> Void) -> Bool {
        guard let index = deliveries.firstIndex(where: { $0.channel == id.channel && $0.recipient == id.recipient })
        else { return false }
        change(&deliveries[index])
        return true
    }
}
