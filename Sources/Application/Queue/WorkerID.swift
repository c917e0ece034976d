public import HeraldDomain

/// Names one worker process (or in-process worker), so its leases can be told apart from others'.
public struct WorkerID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new random worker identifier (`worker-` followed by a notification-style random suffix).
    public static func generate() -> WorkerID {
        WorkerID(rawValue: "worker-" + NotificationID.generate().rawValue.dropFirst(4))
    }
}
