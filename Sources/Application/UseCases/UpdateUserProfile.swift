public import HeraldDomain

/// Inserts or replaces a user in an editable contact directory, after validating it.
public struct UpdateUserProfile: Sendable {
    private let directory: any ContactDirectory
    private let channels: [ChannelName: ChannelDescriptor]

    public init(directory: any ContactDirectory, channels: [ChannelName: ChannelDescriptor]) {
        self.directory = directory
        self.channels = channels
    }

    /// Stores `profile`.
    /// - Throws: `invalid_value` for an id or an address outside ``AddressRules`` (field `id`, `email`
    ///   or `sms`), `unknown_channel` for an unknown preferred or opted-out channel, `not_supported` when the directory
    ///   is read-only (a remote user service).
    public func callAsFunction(_ profile: UserProfile) async throws {
        try AddressRules.requireUserID(profile.id.rawValue, field: "id")
        try profile.contact.validate()
        for (channel, field) in profile.preferences.namedChannels where channels[channel] == nil {
            throw HeraldError(.unknownChannel, "channel \"\(channel)\" is not configured", field: field)
        }
        guard let editable = directory as? any EditableContactDirectory else {
            throw HeraldError(.notSupported, "the configured user service is read-only")
        }
        try await editable.upsert(profile)
    }
}
