/// A user as the user service knows them: contact addresses and preferences.
public struct UserProfile: Hashable, Sendable, Codable {
    public var id: UserID
    public var contact: Contact
    public var preferences: UserPreferences

    public init(id: UserID, contact: Contact = Contact(), preferences: UserPreferences = UserPreferences()) {
        self.id = id
        self.contact = contact
        self.preferences = preferences
    }
}
