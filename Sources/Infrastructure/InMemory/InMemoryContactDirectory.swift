public import HeraldApplication
public import HeraldDomain
import Synchronization

/// The user service held in memory: the `users` list of `herald.json`, editable at run time.
public final class InMemoryContactDirectory: EditableContactDirectory {
    private let profiles: Mutex<[UserID: UserProfile]>

    public init(_ profiles: [UserProfile] = []) {
        self.profiles = Mutex(Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }))
    }

    public func profile(for id: UserID) async throws -> UserProfile? {
        profiles.withLock { $0[id] }
    }

    public func upsert(_ profile: UserProfile) async throws {
        profiles.withLock { $0[profile.id] = profile }
    }
}
