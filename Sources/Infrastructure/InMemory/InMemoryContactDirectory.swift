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
