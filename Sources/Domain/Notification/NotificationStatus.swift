/// The overall state of a notification, aggregated from its deliveries.
public enum NotificationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// At least one delivery is queued or retrying.
    case pending
    /// Every delivery still to do waits for its scheduled time.
    case scheduled
    /// Every delivery that was not skipped was sent.
    case sent
    /// Some deliveries were sent and some failed.
    case partial
    /// Every delivery that was not skipped failed.
    case failed
    /// Canceled before anything was sent or failed: the deliveries not skipped were all canceled.
    case canceled

    /// Aggregates delivery statuses. Skipped deliveries do not count, so a notification whose only
    /// non-skipped delivery was sent is `sent`, and one whose deliveries were all skipped is `sent` too
    /// (nothing is outstanding and nothing failed). Canceled deliveries count only when nothing was sent or
    /// failed: a cancel that raced a send leaves the notification `sent`, as what went out was.
    public init(aggregating statuses: some Sequence<DeliveryStatus>) {
        var sent = 0
        var failed = 0
        var scheduled = 0
        var canceled = 0
        for status in statuses {
            switch status {
            case .queued, .retrying, .standby:
                self = .pending
                return
            case .scheduled: scheduled += 1
            case .sent: sent += 1
            case .failed: failed += 1
            case .canceled: canceled += 1
            case .skipped: break
            }
        }
        if scheduled > 0 {
            self = .scheduled
        } else if sent == 0, failed == 0, canceled > 0 {
            self = .canceled
        } else {
            self = failed == 0 ? .sent : (sent == 0 ? .failed : .partial)
        }
    }
}
