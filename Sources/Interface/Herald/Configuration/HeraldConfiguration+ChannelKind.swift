import HeraldDomain

extension HeraldConfiguration.UserDirectorySettings {
    /// Whether users come from a remote service (read-only) rather than the configuration.
    public var isRemote: Bool {
        if case .http = self { true } else { false }
    }
}

extension HeraldConfiguration.ChannelSettings.Kind {
    /// The `type` string in `herald.json`.
    public var typeName: String {
        switch self {
        case .console: "console"
        case .slack: "slack"
        case .smtp: "smtp"
        case .sendgrid: "sendgrid"
        case .twilio: "twilio"
        case .webhook: "webhook"
        case .apns: "apns"
        case .fcm: "fcm"
        case .custom: "custom"
        }
    }

    /// The address a channel of this kind needs from a user.
    public var defaultContactKind: ContactKind? {
        switch self {
        case .smtp, .sendgrid: .email
        case .twilio: .sms
        case .apns: .apns
        case .fcm: .fcm
        case .console, .slack, .webhook, .custom: nil
        }
    }
}
