/// The overall state of a notification, aggregated from its deliveries.
public enum NotificationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// At least one delivery is queued or retrying.
    case pending
    /// Every delivery that was not skipped was sent.
    case sent
    /// Some deliveries were sent and some failed.
    case partial
    /// Every delivery that was not skipped failed.
    case failed

    /// Aggregates delivery statuses. Skipped deliveries do not count, so a notification whose only
    /// non-skipped delivery was sent is `sent`, and one whose deliveries were all skipped is `sent` too
    /// (nothing is outstanding and nothing failed).
    public init(aggregating statuses: some Sequence<DeliveryStatus>) {
        var sent = 0
        var failed = 0
        for status in statuses {
            switch status {
            case .queued, .retrying:
                self = .pending
                return
            case .sent: sent += 1
            case .failed: failed += 1
            case .skipped: break
            }
        }
        self = failed == 0 ? .sent : (sent == 0 ? .failed : .partial)
    }
}
