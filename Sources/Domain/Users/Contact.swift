/// How to reach a person: the addresses the user service knows.
public struct Contact: Hashable, Sendable, Codable {
    /// An email address.
    public var email: String?
    /// A phone number for text messages.
    public var sms: String?
    /// The user's push devices, in the order they were registered; a push channel sends to each.
    public var devices: [Device]

    public init(email: String? = nil, sms: String? = nil, devices: [Device] = []) {
        self.email = email
        self.sms = sms
        self.devices = devices
    }

    /// The addresses of `kind`: the one email address or phone number, or the tokens of every device of a
    /// push platform.
    public func addresses(for kind: ContactKind) -> [String] {
        switch kind {
        case .email: email.map { [$0] } ?? []
        case .sms: sms.map { [$0] } ?? []
        case .apns, .fcm: devices.filter { $0.platform.contactKind == kind }.map(\.token)
        }
    }

    /// The first address of `kind`, if any.
    public func address(for kind: ContactKind) -> String? { addresses(for: kind).first }

    /// The contact with `device` registered (its token moved to the end when it was known already, with the
    /// platform given now).
    public func adding(_ device: Device) -> Contact {
        var contact = self
        contact.devices.removeAll { $0.token == device.token }
        contact.devices.append(device)
        return contact
    }

    /// The contact without the device whose token is `token`.
    public func removingDevice(token: String) -> Contact {
        var contact = self
        contact.devices.removeAll { $0.token == token }
        return contact
    }

    /// Checks every address against ``AddressRules`` (an email mailbox, an E.164 number, device tokens of
    /// their platform's form, at most ``AddressRules/maxDevicesPerUser`` distinct ones), so none can smuggle a
    /// header line, a second recipient or a path segment.
    /// - Throws: `invalid_value` whose field is `email`, `sms` or `devices[i].token`.
    public func validate() throws(HeraldError) {
        if let email { try AddressRules.requireAddress(email, as: .email, field: "email") }
        if let sms { try AddressRules.requireAddress(sms, as: .sms, field: "sms") }
        guard devices.count <= AddressRules.maxDevicesPerUser else {
            throw HeraldError(
                .invalidValue, "a user has at most \(AddressRules.maxDevicesPerUser) devices, not \(devices.count)",
                field: "devices")
        }
        var seen: Set<String> = []
        for (index, device) in devices.enumerated() {
            try AddressRules.requireAddress(device.token, as: device.platform.contactKind, field: "devices[\(index)].token")
            guard seen.insert(device.token).inserted else {
                throw HeraldError(.invalidValue, "devices[\(index)].token is listed twice", field: "devices[\(index)].token")
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case email, sms, devices
    }

    /// Decodes a contact; `devices` absent from older payloads means none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            email: try container.decodeIfPresent(String.self, forKey: .email),
            sms: try container.decodeIfPresent(String.self, forKey: .sms),
            devices: try container.decodeIfPresent([Device].self, forKey: .devices) ?? [])
    }
}
