import Foundation
import Herald

/// The seed scenarios, each sent the way its original system sent it (mostly as JSON bodies), then push and workflows.
struct DemoScript {
    struct Result {
        let scenario: String
        let record: NotificationRecord
        let expected: NotificationStatus
    }

    let herald: Herald
    let channels: [ChannelName: TranscriptChannel]
    private(set) var results: [Result] = []

    init(herald: Herald, channels: [ChannelName: TranscriptChannel]) {
        self.herald = herald
        self.channels = channels
    }

    mutating func play() async throws {
        heading("1. The support bot posts {topic, description}; topics are routed")
        let sales = try await send(#"{"topic": "sales", "description": "Customer 4711 needs help with a bulk order"}"#)
        let pricing = try await send(#"{"topic": "pricing", "description": "A competitor cut prices by 10%"}"#)
        try await finish("1 bot", [sales, pricing], expecting: .sent)

        heading("2. A backend sends {user_id, message, channel}; contacts come from the user service")
        let contact = try await herald.contactInfo(for: "123")
        print("   user 123: email \(contact.email ?? "-"), sms \(contact.sms ?? "-"), prefers \(contact.preferredChannel?.rawValue ?? "-")")
        let explicit = try await send(#"{"user_id": "123", "message": "Your password was changed", "channel": "sms"}"#)
        let preferred = try await send(#"{"user_id": "123", "message": "Your weekly report is ready"}"#)
        let muted = try await send(#"{"user_id": "123", "topic": "pricing", "message": "New price list"}"#)
        try await finish("2 user", [explicit, preferred, muted], expecting: .sent)

        heading("3. A user registers; the event fans out to two subscribers")
        let registered = try await send(
            #"{"topic": "user.registered", "user_id": "789", "template": "welcome", "data": {"name": "Chen"}}"#)
        try await finish("3 fan-out", [registered], expecting: .sent)

        heading("4. A templated event with status tracking; the SMS provider rejects it, then a resend")
        channels["sms"]?.rejectNext(reason: "provider rejected the message (demo)")
        let shipped = try await send(
            #"{"user_id": "456", "template": "order_shipped", "data": {"name": "Ben", "order": {"id": "A-1001", "items": 3}}}"#)
        try await herald.worker.drain()
        let failed = try await herald.status(of: shipped)
        print("   status after the first attempt: \(failed.status.rawValue), last error: \(failed.deliveries[0].lastError ?? "-")")
        _ = try await herald.retry(shipped)
        print("   resend requested")
        try await finish("4 resend", [shipped], expecting: .sent)

        heading("5. A purchase fans out to slack, email and sms; the client retries with one Idempotency-Key")
        let body = #"{"topic": "purchase", "user_id": "123", "subject": "Order A-2002", "message": "Thanks for your purchase of 2 items"}"#
        let first = try await send(body, idempotencyKey: "purchase-A-2002")
        let repeated = try await send(body, idempotencyKey: "purchase-A-2002")
        print("   the repeat returned \(repeated == first ? "the same id" : "a DIFFERENT id"): \(repeated)")
        try await finish("5 purchase", [first], expecting: .sent)

        results.append(Result(scenario: "6 push", record: try await DemoPushScenario.play(), expected: .partial))

        heading("7. Workflows: a scheduled reminder, a canceled one, and a bot that repeats itself")
        let reminder = try await send(#"{"topic": "sales", "message": "Standup starts now", "delay_s": 1}"#)
        let dropped = try await send(#"{"topic": "sales", "message": "This reminder is canceled", "delay_s": 1}"#)
        let canceled = try await herald.cancel(dropped)
        print("   POST /v1/notifications/\(dropped)/cancel\n     → 200 \(canceled.status.rawValue)")
        let alert = try await send(#"{"topic": "sales", "description": "Disk 91% full on db1", "dedupe_key": "disk@db1"}"#)
        let repeatedAlert = try await send(#"{"topic": "sales", "description": "Disk 93% full on db1", "dedupe_key": "disk@db1"}"#)
        print("   the repeated alert was \(repeatedAlert == alert ? "deduplicated to the first" : "SENT AGAIN")")
        try await finish("7 scheduled", [reminder, alert], expecting: .sent)
        results.append(Result(scenario: "7 canceled", record: try await herald.status(of: dropped), expected: .canceled))

        heading("8. A code sent down a fallback chain: sms first, email only when sms fails")
        channels["sms"]?.rejectNext(reason: "the number cannot receive SMS (demo)")
        let code = try await send(#"{"user_id": "123", "fallback": ["sms", "email"], "message": "Your code is 482913"}"#)
        try await finish("8 fallback", [code], expecting: .sent)

        heading("9. A topic defined at run time with a digest: three comments, one email")
        try await herald.setRoute(
            Route(channels: ["email"], digest: Digest(
                window: .seconds(1), template: "{{count}} new comments:{{#items}} {{author}}: {{message}};{{/items}}")),
            for: "comments")
        print("   PUT /v1/topics/comments {\"channels\": [\"email\"], \"digest\": {\"window_s\": 1, …}}")
        var digest: [NotificationID] = []
        for (author, text) in [("Bo", "Looks good"), ("Cy", "Agreed"), ("Di", "Ship it")] {
            digest.append(try await send(
                #"{"topic": "comments", "user_id": "123", "message": "\#(text)", "data": {"author": "\#(author)"}}"#))
        }
        print("   the three comments joined \(Set(digest).count == 1 ? "one digest" : "SEVERAL digests")")
        try await finish("9 digest", [digest[0]], expecting: .sent)
    }

    private func send(_ json: String, idempotencyKey: String? = nil) async throws -> NotificationID {
        let receipt = try await herald.send(try NotificationRequest(json: Data(json.utf8)), idempotencyKey: idempotencyKey)
        let deliveries = receipt.deliveries.map { "\($0.channel):\($0.status.rawValue)" }.joined(separator: ", ")
        let answer = receipt.deduplicated ? "200 deduplicated" : receipt.digested ? "202 digested"
            : receipt.status == .scheduled ? "202 scheduled" : "202"
        print("   POST \(json)\n     → \(answer) \(receipt.id) [\(deliveries)]")
        return receipt.id
    }

    private mutating func finish(_ scenario: String, _ ids: [NotificationID], expecting expected: NotificationStatus)
        async throws
    {
        try await herald.worker.drain(waitForRetries: { try await SystemClock().sleep(until: $0) })
        for id in ids {
            results.append(Result(scenario: scenario, record: try await herald.status(of: id), expected: expected))
        }
    }

    private func heading(_ text: String) {
        print("\n\(text)")
    }
}
