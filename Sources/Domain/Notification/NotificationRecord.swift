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
    /// One entry per target channel, in target order.
    public var deliveries: [DeliveryRecord]

    public init(
        id: NotificationID, topic: Topic?, userID: UserID?, content: RenderedContent, createdAt: Date,
        deliveries: [DeliveryRecord]
    ) {
        self.id = id
        self.topic = topic
        self.userID = userID
        self.content = content
        self.createdAt = createdAt
        self.deliveries = deliveries
    }

    /// The aggregate status of the deliveries.
    public var status: NotificationStatus { NotificationStatus(aggregating: deliveries.map(\.status)) }

    /// The delivery on `channel`, if the notification has one.
    public func delivery(on channel: ChannelName) -> DeliveryRecord? {
        deliveries.first { $0.channel == channel }
    }

    /// Applies `change` to the delivery on `channel`; returns false when there is none.
    @discardableResult
    public mutating func updateDelivery(on channel: ChannelName, _ change: (inout DeliveryRecord) -> Void) -> Bool {
        guard let index = deliveries.firstIndex(where: { $0.channel == channel }) else { return false }
        change(&deliveries[index])
        return true
    }
}
