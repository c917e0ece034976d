import HeraldDomain
import Testing

@Suite struct NotificationPlannerTests {
    static let ana = UserProfile(
        id: "123", contact: Contact(email: "ana@example.com", sms: "+15550002222"),
        preferences: UserPreferences(preferredChannel: "email", mutedTopics: ["pricing"]))
    static let noAddresses = UserProfile(id: "9", preferences: UserPreferences(preferredChannel: "sms"))

    let planner = NotificationPlanner(
        resolver: TargetResolver(
            routes: RoutingTable(["sales": ["slack"], "pricing": ["email"], "purchase": ["slack", "email", "sms"]]),
            channels: [
                "slack": ChannelDescriptor(name: "slack"),
                "email": ChannelDescriptor(name: "email", contactKind: .email, defaultRecipients: ["team@example.com"]),
                "sms": ChannelDescriptor(name: "sms", contactKind: .sms),
            ]),
        templates: TemplateCatalog([
            "welcome": try! MessageTemplate(subject: "Welcome, {{name}}", body: "Hi {{name}}."),
            "broken": try! MessageTemplate(subject: "{{title}}", body: "x"),
        ]))

    @Test(arguments: [
        (NotificationRequest(message: "m"), nil, HeraldError.Code.missingTarget, "channels"),
        (NotificationRequest(topic: "sales"), nil, .missingMessage, "message"),
        (NotificationRequest(topic: "sales", message: "   "), nil, .missingMessage, "message"),
        (NotificationRequest(topic: "nope", message: "m"), nil, .unknownTopic, "topic"),
        (NotificationRequest(message: "m", channels: ["slack", "slak"]), nil, .unknownChannel, "channels[1]"),
        (NotificationRequest(message: "m", channels: ["sms"]), nil, .noContact, "user_id"),
        (NotificationRequest(message: "m", userID: "9"), noAddresses, .noContact, "user_id"),
        (NotificationRequest(topic: "sales", template: "nope"), nil, .unknownTemplate, "template"),
        (NotificationRequest(topic: "sales", template: "welcome"), nil, .missingTemplateData, "data.name"),
        (NotificationRequest(topic: "sales", message: "m", template: "welcome"), nil, .invalidValue, "template"),
        (NotificationRequest(topic: "sales", message: "m", subject: "a\r\nBcc: x@evil"), nil, .invalidValue, "subject"),
        (NotificationRequest(topic: "sales", template: "broken", data: ["title": "a\nb"]), nil, .invalidValue, "subject"),
        (NotificationRequest(topic: "", message: "m"), nil, .invalidValue, "topic"),
        (NotificationRequest(message: "m", userID: ""), nil, .invalidValue, "user_id"),
        (NotificationRequest(message: "m", userID: ".."), nil, .invalidValue, "user_id"),
        (NotificationRequest(message: "m", userID: "../admin"), nil, .invalidValue, "user_id"),
        (NotificationRequest(topic: "sales", message: "m", subject: String(repeating: "s", count: 999)), nil, .invalidValue, "subject"),
        (NotificationRequest(topic: "sales", message: "m", subject: String(repeating: "é", count: 500)), nil, .invalidValue, "subject"),
        (NotificationRequest(topic: "sales", template: "broken", data: ["title": .string(String(repeating: "t", count: 999))]), nil,
         .invalidValue, "subject"),
        (NotificationRequest(topic: "sales", message: "m", data: ["aps": 1]), nil, .invalidValue, "data.aps"),
        (NotificationRequest(topic: "sales", message: "m", collapseKey: String(repeating: "k", count: 65)), nil, .invalidValue, "collapse_key"),
        (NotificationRequest(topic: "sales", message: "m", collapseKey: "a\nb"), nil, .invalidValue, "collapse_key"),
    ] as [(NotificationRequest, UserProfile?, HeraldError.Code, String)])
    func rejectsBadRequestsWithTheContractCode(
        request: NotificationRequest, user: UserProfile?, code: HeraldError.Code, field: String
    ) {
        #expect(throws: HeraldError(code, "", field: field)) { try planner.plan(request, user: user) }
    }

    @Test func explicitChannelsWinOverTopicAndPreference() throws {
        let plan = try planner.plan(
            NotificationRequest(topic: "sales", message: "m", userID: "123", channels: ["sms", "sms", "slack"]),
            user: Self.ana)
        #expect(plan.targets == [DeliveryTarget(channel: "sms", recipient: "+15550002222"), DeliveryTarget(channel: "slack")])
    }

    @Test func smsGetsOneDeliveryPerRecipientAndEmailOneForAll() throws {
        let resolver = TargetResolver(routes: RoutingTable([:]), channels: [
            "sms": ChannelDescriptor(name: "sms", contactKind: .sms, defaultRecipients: ["+15550001111", "+15550003333"]),
            "email": ChannelDescriptor(name: "email", contactKind: .email, defaultRecipients: ["a@example.com", "b@example.com"]),
        ])
        let targets = try resolver.targets(for: NotificationRequest(message: "m", channels: ["sms", "email"]), user: nil)
        #expect(targets == [
            DeliveryTarget(channel: "sms", recipient: "+15550001111"),
            DeliveryTarget(channel: "sms", recipient: "+15550003333"),
            DeliveryTarget(channel: "email"),
        ])
    }

    @Test func topicRouteWinsOverPreferredChannel() throws {
        let plan = try planner.plan(NotificationRequest(topic: "purchase", message: "m", userID: "123"), user: Self.ana)
        #expect(plan.targets.map(\.channel) == ["slack", "email", "sms"])
        #expect(plan.targets.allSatisfy { !$0.isSkipped })
    }

    @Test func mutedTopicsAreSkippedNotDropped() throws {
        let plan = try planner.plan(NotificationRequest(topic: "pricing", message: "m", userID: "123"), user: Self.ana)
        #expect(plan.targets == [DeliveryTarget(channel: "email", skipReason: "the user muted topic pricing")])
    }

    @Test func mutingDoesNotApplyToExplicitChannels() throws {
        let plan = try planner.plan(
            NotificationRequest(topic: "pricing", message: "m", userID: "123", channels: ["email"]), user: Self.ana)
        #expect(plan.targets == [DeliveryTarget(channel: "email")])
    }

    @Test func topicWithoutRouteFallsBackToThePreferredChannel() throws {
        let plan = try planner.plan(NotificationRequest(topic: "account", message: "m", userID: "123"), user: Self.ana)
        #expect(plan.targets == [DeliveryTarget(channel: "email")])
    }

    @Test func preferredChannelIsTheLastResort() throws {
        let plan = try planner.plan(NotificationRequest(message: "m", userID: "123"), user: Self.ana)
        #expect(plan.targets == [DeliveryTarget(channel: "email")])
    }

    @Test func channelDefaultRecipientsStandInForAMissingContact() throws {
        let plan = try planner.plan(NotificationRequest(topic: "pricing", message: "m"), user: nil)
        #expect(plan.targets == [DeliveryTarget(channel: "email")])
    }

    @Test func dataPriorityAndCollapseKeyTravelWithTheContentForPushChannels() throws {
        let plan = try planner.plan(
            NotificationRequest(topic: "sales", message: "m", data: ["order": "A-1"], priority: .low, collapseKey: "k"), user: nil)
        #expect(plan.content == RenderedContent(subject: nil, body: "m", data: ["order": "A-1"], priority: .low, collapseKey: "k"))
    }

    @Test func templateIsRenderedAtPlanTimeAndRequestSubjectOverridesIt() throws {
        let rendered = try planner.plan(
            NotificationRequest(topic: "sales", template: "welcome", data: ["name": "Ana"]), user: nil)
        #expect(rendered.content == RenderedContent(subject: "Welcome, Ana", body: "Hi Ana.", data: ["name": "Ana"]))
        let overridden = try planner.plan(
            NotificationRequest(topic: "sales", subject: "Custom", template: "welcome", data: ["name": "Ana"]),
            user: nil)
        #expect(overridden.content.subject == "Custom")
    }
}
