public import HeraldApplication
public import HeraldDomain
import Synchronization

/// The user service held in memory: the `users` list of `herald.json`, editable at run time.
///
/// Bounded: the configured users always stay; users added at run time (`PUT /v1/users/{id}`) are kept up
/// to ``maxAddedUsers``, and past it the least recently used added user is forgotten.
public final class InMemoryContactDirectory: EditableContactDirectory {
    private struct State {
        var configured: [UserID: UserProfile]
        var added: LRUCache<UserID, UserProfile>
    }

    private let state: Mutex<State>
    /// The most users added at run time that are kept.
    public let maxAddedUsers: Int

    public init(_ profiles: [UserProfile] = [], maxAddedUsers: Int = 100_000) {
        self.maxAddedUsers = max(1, maxAddedUsers)
        state = Mutex(State(
            configured: Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }),
            added: LRUCache(capacity: maxAddedUsers)))
    }

    public func profile(for id: UserID) async throws -> UserProfile? {
        state.withLock { $0.added.value(for: id) ?? $0.configured[id] }
    }

    public func addDevice(_ device: Device, to id: UserID) async throws -> UserProfile? {
        update(id) { $0.contact = $0.contact.adding(device) }
    }

    public func removeDevice(token: String, from id: UserID) async throws -> UserProfile? {
        update(id) { $0.contact = $0.contact.removingDevice(token: token) }
    }

    /// Changes the user `id` under the lock, so concurrent device changes never lose one another.
    private func update(_ id: UserID, _ change: (inout UserProfile) -> Void) -> UserProfile? {
        state.withLock { state in
            if var profile = state.configured[id] {
                change(&profile)
                state.configured[id] = profile
                return profile
            }
            guard var profile = state.added.value(for: id) else { return nil }
            change(&profile)
            state.added.set(profile, for: id)
            return profile
        }
    }

    public func upsert(_ profile: UserProfile) async throws {
        state.withLock { state in
            if state.configured[profile.id] != nil {
                state.configured[profile.id] = profile
            } else {
                state.added.set(profile, for: profile.id)
            }
        }
    }
}
