public import HeraldApplication
public import HeraldDomain

/// A notification store with nothing implemented: every read throws ``Unimplemented``.
public struct UnimplementedNotificationStore: NotificationStore {
    public init() {}
    public func record(for id: NotificationID) async throws -> NotificationRecord? {
        throw Unimplemented("NotificationStore.record")
    }
}

/// An idempotency store with nothing implemented: every lookup throws ``Unimplemented``.
public struct UnimplementedIdempotencyStore: IdempotencyStore {
    public init() {}
    public func entry(for key: String) async throws -> IdempotencyEntry? {
        throw Unimplemented("IdempotencyStore.entry")
    }
}

/// A user service with nothing implemented: every lookup and write throws ``Unimplemented``.
public struct UnimplementedContactDirectory: EditableContactDirectory {
    public init() {}
    public func profile(for id: UserID) async throws -> UserProfile? { throw Unimplemented("ContactDirectory.profile") }
    public func upsert(_ profile: UserProfile) async throws { throw Unimplemented("EditableContactDirectory.upsert") }
}
