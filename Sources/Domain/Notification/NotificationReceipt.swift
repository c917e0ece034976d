/// What `send` returns once a notification is persisted and its deliveries are queued.
public struct NotificationReceipt: Hashable, Sendable, Codable {
    /// One delivery as accepted: `queued` (`scheduled` for a later time), or `skipped` when the user muted the topic there.
    public struct Delivery: Hashable, Sendable, Codable {
        public var channel: ChannelName
        /// The one address of a per-recipient delivery (SMS); nil when the channel sends once for everyone.
        public var recipient: String?
        public var status: DeliveryStatus

        public init(channel: ChannelName, recipient: String? = nil, status: DeliveryStatus) {
            self.channel = channel
            self.recipient = recipient
            self.status = status
        }
    }

    /// The new notification's identifier.
    public var id: NotificationID
    /// `pending` at acceptance: the notification is persisted but not processed yet (even when every delivery
    /// was skipped; the status endpoint then reports the aggregate, `sent`); `scheduled` when it waits for its time.
    public var status: NotificationStatus
    /// The accepted deliveries.
    public var deliveries: [Delivery]
    /// Whether the request was answered with an earlier notification that holds its `dedupe_key`: nothing new
    /// was accepted, and ``id`` names that earlier notification.
    public var deduplicated: Bool
    /// Whether the request joined an open digest (contract §11): ``id`` names the digest notification, which sends
    /// it with the others when the digest's window ends.
    public var digested = false

    public init(id: NotificationID, status: NotificationStatus, deliveries: [Delivery], deduplicated: Bool = false) {
        self.deduplicated = deduplicated
        self.id = id
        self.status = status
        self.deliveries = deliveries
    }

    /// The receipt a record had when it was accepted; used to replay an idempotent request.
    public init(acceptedRecord record: NotificationRecord) {
        let waiting: DeliveryStatus = record.scheduledFor == nil ? .queued : .scheduled
        let deliveries = record.deliveries.map {
            Delivery(
                channel: $0.channel, recipient: $0.recipient,
                status: $0.status == .skipped || $0.status == .standby ? $0.status : waiting)
        }
        let anyWaits = deliveries.contains { $0.status != .skipped }
        self.init(id: record.id, status: record.scheduledFor != nil && anyWaits ? .scheduled : .pending, deliveries: deliveries)
    }
}
