public import HeraldDomain

/// The user service: who a user is, how to reach them, and what they prefer.
public protocol ContactDirectory: Sendable {
    /// The profile of `id`, or nil when the user is unknown.
    /// - Throws: when the directory cannot be reached (deliveries are then retried).
    func profile(for id: UserID) async throws -> UserProfile?
}

/// A directory that Herald may also write to (`PUT /v1/users/{id}`).
public protocol EditableContactDirectory: ContactDirectory {
    /// Inserts or replaces the profile with `profile.id`.
    func upsert(_ profile: UserProfile) async throws
}
