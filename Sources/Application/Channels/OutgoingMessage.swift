public import HeraldDomain

/// One rendered message on its way through one channel.
public struct OutgoingMessage: Hashable, Sendable {
    /// Stable across retries; receivers may use it to drop duplicates.
    public var deliveryID: DeliveryID
    public var topic: Topic?
    public var userID: UserID?
    /// The subject line, for channels that have one.
    public var subject: String?
    public var body: String
    /// The resolved addresses (email addresses, phone numbers); empty for fixed-destination channels.
    public var recipients: [String]
    /// Which attempt this is, starting at 1.
    public var attempt: Int
    /// The request's `data`: a push channel's custom payload (APNs keys beside `aps`, FCM's string map).
    public var data: [String: JSONValue]
    /// How urgently push channels ask their provider to deliver it.
    public var priority: NotificationPriority
    /// Lets a push provider replace an earlier notification with the same key (`apns-collapse-id`).
    public var collapseKey: String?

    public init(
        deliveryID: DeliveryID, topic: Topic? = nil, userID: UserID? = nil, subject: String? = nil, body: String,
        recipients: [String] = [], attempt: Int = 1, data: [String: JSONValue] = [:],
        priority: NotificationPriority = .normal, collapseKey: String? = nil
    ) {
        self.data = data
        self.priority = priority
        self.collapseKey = collapseKey
        self.deliveryID = deliveryID
        self.topic = topic
        self.userID = userID
        self.subject = subject
        self.body = body
        self.recipients = recipients
        self.attempt = attempt
    }

    /// The channel this message goes through.
    public var channel: ChannelName { deliveryID.channel }
}
