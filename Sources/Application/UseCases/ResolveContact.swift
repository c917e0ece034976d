public import HeraldDomain

/// Looks users up in the contact directory and works out where a delivery goes.
public struct ResolveContact: Sendable {
    private let directory: any ContactDirectory

    public init(directory: any ContactDirectory) {
        self.directory = directory
    }

    /// The contact details of `userID`.
    /// - Throws: `unknown_user` when the directory does not know the user, or when `userID` is not a valid
    ///   user id (``AddressRules``), which no user can have; the directory is not asked then.
    public func contactInfo(for userID: UserID) async throws -> ContactInfo {
        guard AddressRules.isValidUserID(userID.rawValue) else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "user_id")
        }
        let found = try await directory.profileReportingOutages(for: userID)
        guard let profile = found else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "user_id")
        }
        return ContactInfo(
            email: profile.contact.email, sms: profile.contact.sms,
            preferredChannel: profile.preferences.preferredChannel, devices: profile.contact.devices)
    }

    /// Removes the device `token` from the user `userID` after its provider called it gone; false when the
    /// directory is read-only (a remote user service keeps it until it is told).
    public func forgetDevice(token: String, of userID: UserID) async throws -> Bool {
        guard let editable = directory as? any EditableContactDirectory else { return false }
        _ = try await editable.removeDevice(token: token, from: userID)
        return true
    }

    /// The addresses a delivery through `channel` to `userID` goes to, looked up now so a contact
    /// changed after acceptance is honoured. A user no longer known falls back to the channel's defaults.
    /// - Throws: `no_contact` when the channel needs an address and there is none.
    public func recipients(on channel: ChannelDescriptor, for userID: UserID?) async throws -> [String] {
        guard channel.contactKind != nil else { return [] }
        let contact = try await userID.asyncMap { try await directory.profile(for: $0) }??.contact
        let recipients = channel.recipients(for: contact)
        guard !recipients.isEmpty else {
            throw HeraldError(
                .noContact, "channel \"\(channel.name)\" has no \(channel.contactKind!.rawValue) address to send to",
                field: "user_id")
        }
        return recipients
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
