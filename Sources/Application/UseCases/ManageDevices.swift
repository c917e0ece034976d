public import HeraldDomain

/// Registers and removes a user's push devices (`POST /v1/users/{id}/devices`,
/// `DELETE /v1/users/{id}/devices/{token}`), after validating them.
public struct ManageDevices: Sendable {
    private let directory: any ContactDirectory

    public init(directory: any ContactDirectory) {
        self.directory = directory
    }

    /// Registers `device` with the user `userID`; the user's profile afterwards.
    /// - Throws: `invalid_value` for a token not of its platform's form (field `token`) or a user past
    ///   ``AddressRules/maxDevicesPerUser`` (field `devices`), `unknown_user`, `not_supported` when the
    ///   directory is read-only (a remote user service).
    public func register(_ device: Device, for userID: UserID) async throws -> UserProfile {
        try AddressRules.requireAddress(device.token, as: device.platform.contactKind, field: "token")
        let editable = try editableDirectory(for: userID)
        guard let current = try await directory.profileReportingOutages(for: userID) else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "id")
        }
        let known = current.contact.devices.contains { $0.token == device.token }
        guard known || current.contact.devices.count < AddressRules.maxDevicesPerUser else {
            throw HeraldError(
                .invalidValue, "user \"\(userID)\" has \(AddressRules.maxDevicesPerUser) devices already, the most kept",
                field: "devices")
        }
        guard let profile = try await editable.addDevice(device, to: userID) else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "id")
        }
        return profile
    }

    /// Removes the device `token` from the user `userID`; removing one the user does not have is no error, so
    /// a repeated `DELETE` answers the same.
    /// - Throws: `unknown_user`, `not_supported` when the directory is read-only.
    public func unregister(token: String, for userID: UserID) async throws {
        let editable = try editableDirectory(for: userID)
        guard try await editable.removeDevice(token: token, from: userID) != nil else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "id")
        }
    }

    private func editableDirectory(for userID: UserID) throws(HeraldError) -> any EditableContactDirectory {
        guard AddressRules.isValidUserID(userID.rawValue) else {
            throw HeraldError(.unknownUser, "user \"\(userID)\" is not known", field: "id")
        }
        guard let editable = directory as? any EditableContactDirectory else {
            throw HeraldError(.notSupported, "the configured user service is read-only")
        }
        return editable
    }
}
