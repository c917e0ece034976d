import HeraldDomain

extension HeraldConfiguration {
    /// What Herald runs with when there is no configuration: the memory queue, console channels
    /// `slack`, `email` and `sms`, routes for the seed topics, two templates and a few demo users.
    public static var embeddedDefault: HeraldConfiguration {
        HeraldConfiguration(
            channels: [
                "slack": ChannelSettings(kind: .console),
                "email": ChannelSettings(kind: .console, contactKind: .email, to: ["product@example.com"]),
                "sms": ChannelSettings(kind: .console, contactKind: .sms, to: ["+15550003333"]),
            ],
            routes: [
                "sales": ["slack"],
                "pricing": ["email"],
                "user.registered": ["slack", "email"],
                "purchase": ["slack", "email", "sms"],
            ],
            users: .inline([
                UserProfile(
                    id: "123", contact: Contact(email: "ana@example.com", sms: "+15550002222"),
                    preferences: UserPreferences(preferredChannel: "email", mutedTopics: ["pricing"])),
                UserProfile(
                    id: "456", contact: Contact(sms: "+15550004444"),
                    preferences: UserPreferences(preferredChannel: "sms")),
                UserProfile(
                    id: "789", contact: Contact(email: "chen@example.com"),
                    preferences: UserPreferences(preferredChannel: "email")),
            ]),
            templates: [
                "welcome": TemplateSettings(subject: "Welcome, {{name}}", body: "Hi {{name}}, thanks for joining."),
                "order_shipped": TemplateSettings(
                    subject: "Order {{order.id}} shipped",
                    body: "Hi {{name}}, order {{order.id}} ({{order.items}} items) is on its way."),
            ]
        )
    }
}
