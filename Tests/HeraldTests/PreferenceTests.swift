import Foundation
import Herald
import HeraldTesting
import Testing

/// Preferences per channel and per topic × channel (contract §11), through the HTTP API: opted-out deliveries are
/// `skipped` with the reason; `critical` passes mutes and topic opt-outs but never a channel opt-out.
@Suite struct PreferenceTests {
    let slack = RecordingChannel()
    let email = RecordingChannel()
    let sms = RecordingChannel()

    private func herald() throws -> Herald {
        let configuration = try HeraldConfiguration.decode(Data("""
            {"channels": {"slack": {"type": "console"}, "email": {"type": "console"}, "sms": {"type": "console"}},
             "routes": {"purchase": ["slack", "email", "sms"], "pricing": ["email", "sms"]},
             "users": [{"id": "ana", "email": "ana@example.com", "sms": "+15550002222", "muted_topics": ["pricing"],
                        "preferences": {"channels": {"sms": false, "slack": true}, "topics": {"purchase": {"email": false}}}}]}
            """.utf8))
        return try Herald(configuration: configuration, channels: ["slack": slack, "email": email, "sms": sms], clock: ManualClock())
    }

    private func send(_ herald: Herald, _ body: String) async throws -> [String: Any] {
        let accepted = await herald.api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications", headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
        #expect(accepted.status == 202, "\(String(decoding: accepted.body, as: UTF8.self))")
        let id = try #require(((try? JSONSerialization.jsonObject(with: Data(accepted.body))) as? [String: Any])?["id"] as? String)
        try await herald.worker.drain()
        let status = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
        return try #require((try? JSONSerialization.jsonObject(with: Data(status.body))) as? [String: Any])
    }

    private func outcome(_ document: [String: Any]) -> [String: String] {
        var result: [String: String] = [:]
        for delivery in document["deliveries"] as? [[String: Any]] ?? [] {
            let status = delivery["status"] as? String ?? "?"
            result[delivery["channel"] as? String ?? "?"] = status + (delivery["reason"].map { ": \($0)" } ?? "")
        }
        return result
    }

    @Test func aChannelOptOutAndATopicChannelOptOutSkipWithTheirReasons() async throws {
        let herald = try herald()
        let document = try await send(herald, #"{"topic": "purchase", "user_id": "ana", "message": "Thanks"}"#)
        #expect(outcome(document) == [
            "slack": "sent",
            "email": "skipped: the user opted out of purchase on email",
            "sms": "skipped: the user opted out of sms",
        ])
        #expect(slack.messages.count == 1 && email.messages.isEmpty && sms.messages.isEmpty)
    }

    @Test func criticalPassesMutesAndTopicOptOutsButNeverAChannelOptOut() async throws {
        let herald = try herald()
        let purchase = try await send(herald, #"{"topic": "purchase", "user_id": "ana", "message": "Fraud?", "critical": true}"#)
        #expect(outcome(purchase) == ["slack": "sent", "email": "sent", "sms": "skipped: the user opted out of sms"])
        let pricing = try await send(herald, #"{"topic": "pricing", "user_id": "ana", "message": "Price alert", "critical": true}"#)
        #expect(outcome(pricing) == ["email": "sent", "sms": "skipped: the user opted out of sms"])
        let muted = try await send(herald, #"{"topic": "pricing", "user_id": "ana", "message": "Price list"}"#)
        #expect(outcome(muted) == ["email": "skipped: the user muted topic pricing", "sms": "skipped: the user opted out of sms"])
    }

    @Test func aChannelOptOutHoldsForExplicitChannelsToo() async throws {
        let herald = try herald()
        let document = try await send(herald, #"{"user_id": "ana", "message": "Code 1234", "channels": ["sms", "email"]}"#)
        #expect(outcome(document) == ["sms": "skipped: the user opted out of sms", "email": "sent"])
    }

    @Test func putCarriesPreferencesAndRefusesUnknownChannelsAndNonBooleans() async throws {
        let herald = try herald()
        func put(_ body: String) async -> (Int, [String: Any]) {
            let response = await herald.api.handle(HeraldAPI.Request(
                method: "PUT", path: "/v1/users/ben", headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
            return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
        }
        let (status, stored) = await put(#"{"email": "ben@example.com", "preferences": {"topics": {"purchase": {"slack": false}}}}"#)
        #expect(status == 200)
        #expect((stored["preferences"] as? [String: Any])?["topics"] as? [String: [String: Bool]] == ["purchase": ["slack": false]])
        let document = try await send(herald, #"{"topic": "purchase", "user_id": "ben", "message": "m", "channels": []}"#)
        #expect(outcome(document)["slack"] == "skipped: the user opted out of purchase on slack")

        for (body, field) in [
            (#"{"preferences": {"channels": {"slak": false}}}"#, "preferences.channels.slak"),
            (#"{"preferences": {"channels": {"sms": "no"}}}"#, "preferences.channels.sms"),
            (#"{"preferences": {"topics": {"purchase": []}}}"#, "preferences.topics.purchase"),
            (#"{"preferences": {"mute": {}}}"#, "preferences.mute"),
        ] {
            let (status, answer) = await put(body)
            #expect(status == 422 || status == 400, "\(body)")
            #expect((answer["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
        }
    }

    @Test func aConfigFileNamingAnUnknownChannelInPreferencesIsRefusedWithItsPath() throws {
        let text = #"{"users": [{"id": "ana", "preferences": {"topics": {"sales": {"slak": false}}}}]}"#
        do {
            let configuration = try HeraldConfiguration.decode(Data(text.utf8))
            try configuration.validate()
            Issue.record("an unknown channel in preferences must be refused")
        } catch {
            #expect(error.field == "users[0].preferences.topics.sales.slak")
            #expect(error.message.contains("slak"))
        }
    }
}
