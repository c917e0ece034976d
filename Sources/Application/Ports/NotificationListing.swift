public import Foundation
public import HeraldDomain

/// Lists notifications newest first (`GET /v1/notifications`, `herald list`, the dashboard). A page reads a
/// bounded number of records whatever the data size: an index (by user, else by topic, else of all) in
/// acceptance order, the other filters applied to what it reads; a page may hold fewer than `limit` items and
/// still have a next cursor.
public protocol NotificationListing: Sendable {
    func notifications(matching filter: NotificationFilter, limit: Int, after cursor: String?) async throws
        -> NotificationPage
}

/// Which notifications a list holds; every field optional.
public struct NotificationFilter: Hashable, Sendable {
    public var status: NotificationStatus?
    public var topic: Topic?
    public var userID: UserID?
    /// Accepted at or after.
    public var since: Date?
    /// Accepted at or before.
    public var until: Date?

    public init(
        status: NotificationStatus? = nil, topic: Topic? = nil, userID: UserID? = nil, since: Date? = nil,
        until: Date? = nil
    ) {
        self.status = status
        self.topic = topic
        self.userID = userID
        self.since = since
        self.until = until
    }

    /// Whether `record` passes every filter.
    public func matches(_ record: NotificationRecord) -> Bool {
        if let status, record.status != status { return false }
        if let topic, record.topic != topic { return false }
        if let userID, record.userID != userID { return false }
        if let since, record.createdAt < since { return false }
        if let until, record.createdAt > until { return false }
        return true
    }

    /// How many index entries a page of `limit` may read: a few times the limit, so filters on top of the index
    /// still fill most pages, and never more.
    public static func scanBudget(forLimit limit: Int) -> Int { limit * 4 + 50 }
}

/// One page of notifications, newest first, and where the next starts (nil after the last).
public struct NotificationPage: Hashable, Sendable {
    public var records: [NotificationRecord]
    public var nextCursor: String?

    public init(records: [NotificationRecord], nextCursor: String?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}
