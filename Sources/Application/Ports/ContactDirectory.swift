public import HeraldDomain

/// The user service: who a user is, how to reach them, and what they prefer.
public protocol ContactDirectory: Sendable {
    /// The profile of `id`, or nil when the user is unknown.
    /// - Throws: when the directory cannot be reached (deliveries are then retried).
    func profile(for id: UserID) async throws -> UserProfile?
}

/// A directory that Herald may also write to (`PUT /v1/users/{id}`, the device routes, and the push channels
/// removing tokens their provider calls gone).
public protocol EditableContactDirectory: ContactDirectory {
    /// Inserts or replaces the profile with `profile.id`.
    func upsert(_ profile: UserProfile) async throws
    /// Registers `device` with the user `id` (replacing a device with the same token); the updated profile,
    /// or nil when the user is unknown (nothing is created then).
    func addDevice(_ device: Device, to id: UserID) async throws -> UserProfile?
    /// Removes the device whose token is `token` from the user `id`; the updated profile, or nil when the user
    /// is unknown. Removing a token the user does not have changes nothing.
    func removeDevice(token: String, from id: UserID) async throws -> UserProfile?
}

extension EditableContactDirectory {
    /// Read, change, write: correct for a directory with one writer. Directories shared between processes
    /// (Redis) implement it atomically instead.
    public func addDevice(_ device: Device, to id: UserID) async throws -> UserProfile? {
        guard var profile = try await profile(for: id) else { return nil }
        profile.contact = profile.contact.adding(device)
        try await upsert(profile)
        return profile
    }

    /// Read, change, write: correct for a directory with one writer. Directories shared between processes
    /// (Redis) implement it atomically instead.
    public func removeDevice(token: String, from id: UserID) async throws -> UserProfile? {
        guard var profile = try await profile(for: id) else { return nil }
        guard profile.contact.devices.contains(where: { $0.token == token }) else { return profile }
        profile.contact = profile.contact.removingDevice(token: token)
        try await upsert(profile)
        return profile
    }
}
