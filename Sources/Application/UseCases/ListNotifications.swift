import HeraldDomain

/// A page of notifications for operators, newest first, filtered (contract §12).
public struct ListNotifications: Sendable {
    private let listing: any NotificationListing
    /// The largest page.
    public static let maxLimit = 200

    public init(listing: any NotificationListing) {
        self.listing = listing
    }

    /// - Throws: `invalid_value` for a limit outside 1...200 (field `limit`), since after until (field `since`), or
    ///   a cursor this server did not return (field `cursor`); `queue_unavailable`.
    public func callAsFunction(_ filter: NotificationFilter, limit: Int = 50, after cursor: String? = nil) async throws
        -> NotificationPage
    {
        guard (1...Self.maxLimit).contains(limit) else {
            throw HeraldError(.invalidValue, "limit must be a whole number from 1 to \(Self.maxLimit)", field: "limit")
        }
        if let since = filter.since, let until = filter.until, since > until {
            throw HeraldError(.invalidValue, "since must not be after until", field: "since")
        }
        return try await listing.notifications(matching: filter, limit: limit, after: cursor)
    }
}
