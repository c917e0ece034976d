public import Foundation

/// The persisted state of one delivery: its status and the history a caller needs to understand it.
public struct DeliveryRecord: Hashable, Sendable, Codable {
    /// The channel this delivery goes through.
    public var channel: ChannelName
    /// The one address this delivery goes to, on channels with a delivery per recipient (SMS); nil when
    /// the channel sends once for everyone (chat, webhook, one email to every `to`).
    public var recipient: String?
    /// Where the delivery stands.
    public var status: DeliveryStatus
    /// Every send Herald made for this delivery, rate-limited ones and resends included.
    public var attempts: Int
    /// The last error, redacted; nil until an attempt fails.
    public var lastError: String?
    /// When this record last changed.
    public var updatedAt: Date
    /// Why a `skipped` delivery was not sent (a mute, an opt-out); nil otherwise.
    public var reason: String?
    /// Whether this delivery failed as a step of a fallback chain and the next step took over: the failure stays
    /// visible but does not count against the notification's status.
    public var fellBack: Bool = false
    /// Its attempts, oldest first (the newest ``DeliveryAttempt/kept`` of them): its timeline.
    public var history: [DeliveryAttempt] = []

    /// Adds an attempt to the history, forgetting the oldest past ``DeliveryAttempt/kept``.
    public mutating func record(_ attempt: DeliveryAttempt) {
        history.append(attempt)
        if history.count > DeliveryAttempt.kept { history.removeFirst(history.count - DeliveryAttempt.kept) }
    }

    public init(
        channel: ChannelName, recipient: String? = nil, status: DeliveryStatus, attempts: Int = 0,
        lastError: String? = nil, updatedAt: Date, reason: String? = nil
    ) {
        self.reason = reason
        self.channel = channel
        self.recipient = recipient
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case channel, recipient, status, attempts, lastError, updatedAt, reason, fellBack, history
    }

    /// Decodes a delivery; the fields added later (`reason`, `fellBack`, `history`) may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            channel: try container.decode(ChannelName.self, forKey: .channel),
            recipient: try container.decodeIfPresent(String.self, forKey: .recipient),
            status: try container.decode(DeliveryStatus.self, forKey: .status),
            attempts: try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 0,
            lastError: try container.decodeIfPresent(String.self, forKey: .lastError),
            updatedAt: try container.decode(Date.self, forKey: .updatedAt),
            reason: try container.decodeIfPresent(String.self, forKey: .reason))
        fellBack = try container.decodeIfPresent(Bool.self, forKey: .fellBack) ?? false
        history = try container.decodeIfPresent([DeliveryAttempt].self, forKey: .history) ?? []
    }

    /// Encodes a delivery; `fellBack` only when set, so the text of an ordinary delivery is unchanged.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channel, forKey: .channel)
        try container.encodeIfPresent(recipient, forKey: .recipient)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(reason, forKey: .reason)
        if fellBack { try container.encode(true, forKey: .fellBack) }
        if !history.isEmpty { try container.encode(history, forKey: .history) }
    }

    /// The delivery's key within its notification (see ``DeliveryID/key``).
    public var key: String { DeliveryID(notificationID: "", channel: channel, recipient: recipient).key }

    /// The identifier of this delivery of notification `id`.
    public func id(in notification: NotificationID) -> DeliveryID {
        DeliveryID(notificationID: notification, channel: channel, recipient: recipient)
    }
}
