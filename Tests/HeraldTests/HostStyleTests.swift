import Herald
import HeraldTesting
import Testing

/// How a host tests its own use of Herald: real composition root, recording channels, a manual clock,
/// and `send → drain → expect` with no sleeps.
@Suite struct HostStyleTests {
    @Test func sendDrainExpect() async throws {
        let slack = RecordingChannel()
        let email = RecordingChannel()
        let sms = RecordingChannel()
        let clock = ManualClock()
        let herald = try Herald(
            configuration: .embeddedDefault, channels: ["slack": slack, "email": email, "sms": sms], clock: clock)

        _ = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        _ = try await herald.send(NotificationRequest(topic: "purchase", message: "Thanks!", userID: "123"))
        try await herald.worker.drain(advancing: clock)

        #expect(slack.messages == [
            RecordingChannel.Entry(channel: "slack", body: "Customer needs help"),
            RecordingChannel.Entry(channel: "slack", body: "Thanks!"),
        ])
        #expect(email.messages == [RecordingChannel.Entry(channel: "email", recipients: ["ana@example.com"], body: "Thanks!")])
        #expect(sms.messages == [RecordingChannel.Entry(channel: "sms", recipients: ["+15550002222"], body: "Thanks!")])
    }

    @Test func aFlakyProviderIsRetriedOnTheManualClock() async throws {
        let slack = ScriptedChannel([.retry(reason: "503"), .rateLimited(retryAfter: .seconds(30), reason: "429")])
        let clock = ManualClock()
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": slack], clock: clock)

        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        try await herald.worker.drain(advancing: clock)

        let status = try await herald.status(of: receipt.id)
        #expect(status.status == .sent)
        #expect(status.deliveries[0].attempts == 3)
        #expect(slack.attempts.count == 3)
    }

    @Test func templatedNotificationWithStatusTrackingAndResend() async throws {
        let email = ScriptedChannel([.failed(reason: "550 mailbox unavailable")])
        let herald = try Herald(configuration: .embeddedDefault, channels: ["email": email], clock: ManualClock())

        let receipt = try await herald.send(
            NotificationRequest(userID: "789", template: "welcome", data: ["name": "Chen"]))
        try await herald.worker.drain()
        let failed = try await herald.status(of: receipt.id)
        #expect(failed.status == .failed)
        #expect(failed.deliveries[0].lastError == "550 mailbox unavailable")

        _ = try await herald.retry(receipt.id)
        try await herald.worker.drain()

        let sent = try await herald.status(of: receipt.id)
        #expect(sent.status == .sent)
        #expect(sent.deliveries[0].attempts == 2)
        #expect(email.attempts.map(\.subject) == ["Welcome, Chen", "Welcome, Chen"])
        #expect(email.attempts.map(\.body) == ["Hi Chen, thanks for joining.", "Hi Chen, thanks for joining."])
    }

    @Test func usersCanBeLookedUpAndEdited() async throws {
        let herald = try Herald()
        let ana = try await herald.contactInfo(for: "123")
        #expect(ana == ContactInfo(email: "ana@example.com", sms: "+15550002222", preferredChannel: "email"))

        try await herald.upsertUser(UserProfile(id: "42", contact: Contact(sms: "+15550007777"),
            preferences: UserPreferences(preferredChannel: "sms")))
        #expect(try await herald.contactInfo(for: "42").sms == "+15550007777")

        await #expect(throws: HeraldError(.unknownUser, "", field: "user_id")) { try await herald.contactInfo(for: "nobody") }
        await #expect(throws: HeraldError(.invalidValue, "", field: "email")) {
            try await herald.upsertUser(UserProfile(id: "43", contact: Contact(email: "a@example.com\r\nBcc: x@evil")))
        }
        await #expect(throws: HeraldError(.unknownChannel, "", field: "preferred_channel")) {
            try await herald.upsertUser(UserProfile(id: "44", preferences: UserPreferences(preferredChannel: "fax")))
        }
    }

    @Test func statusOfAnUnknownNotificationIsNotFound() async throws {
        let herald = try Herald()
        await #expect(throws: HeraldError(.notFound, "", field: "id")) { try await herald.status(of: "ntf_nope") }
    }

    @Test func theMemoryQueueIsBoundedEvictingFinishedRecordsAndRefusingWhenAllAreUnfinished() async throws {
        var configuration = HeraldConfiguration.embeddedDefault
        configuration.queue.memoryMaxRecords = 2
        let slack = RecordingChannel()
        let clock = ManualClock()
        let herald = try Herald(configuration: configuration, channels: ["slack": slack], clock: clock)

        let first = try await herald.send(NotificationRequest(topic: "sales", message: "1"))
        _ = try await herald.send(NotificationRequest(topic: "sales", message: "2"))
        await #expect(throws: HeraldError(.queueFull, "")) {
            try await herald.send(NotificationRequest(topic: "sales", message: "3"))
        }
        #expect(try await herald.queue.depth().ready == 2)

        try await herald.worker.drain(advancing: clock)
        let third = try await herald.send(NotificationRequest(topic: "sales", message: "3"))
        await #expect(throws: HeraldError(.notFound, "", field: "id")) { try await herald.status(of: first.id) }
        #expect(try await herald.status(of: third.id).status == .pending)
        #expect(slack.messages.map(\.body) == ["1", "2"])
    }
}
