import Foundation
import Herald
import HeraldTesting
import Testing

/// `send_at`, `delay_s` and `POST /v1/notifications/{id}/cancel` through the HTTP API on a manual clock
/// (contract §11): scheduled until its time, then delivered; canceled answers 200, then 409; bad times are 422.
@Suite struct SchedulingAndCancelTests {
    let clock = ManualClock()

    private func herald(_ slack: RecordingChannel) throws -> Herald {
        try Herald(configuration: .embeddedDefault, channels: ["slack": slack], clock: clock)
    }

    private func post(_ herald: Herald, _ path: String, _ body: String = "") async -> (status: Int, json: [String: Any]) {
        let response = await herald.api.handle(HeraldAPI.Request(
            method: "POST", path: path, headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    private func get(_ herald: Herald, _ path: String) async -> [String: Any] {
        let response = await herald.api.handle(HeraldAPI.Request(method: "GET", path: path))
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    @Test func aSendAtRequestIsScheduledAndDeliveredAtItsTime() async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let sendAt = StatusText.rfc3339(clock.now.addingTimeInterval(2 * 3600))
        let accepted = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "Standup", "send_at": "\#(sendAt)"}"#)
        #expect(accepted.status == 202)
        #expect(accepted.json["status"] as? String == "scheduled")
        #expect((accepted.json["deliveries"] as? [[String: Any]])?.first?["status"] as? String == "scheduled")
        let id = try #require(accepted.json["id"] as? String)

        #expect(try await herald.worker.drain() == 0)
        let waiting = await get(herald, "/v1/notifications/\(id)")
        #expect(waiting["status"] as? String == "scheduled")
        #expect(waiting["send_at"] as? String == sendAt)

        clock.advance(by: .seconds(2 * 3600 - 1))
        #expect(try await herald.worker.drain() == 0, "not a second early")
        clock.advance(by: .seconds(1))
        #expect(try await herald.worker.drain() == 1)
        #expect(slack.messages.map(\.body) == ["Standup"])
        #expect(await get(herald, "/v1/notifications/\(id)")["status"] as? String == "sent")
    }

    @Test func aDelayedRequestWaitsItsSeconds() async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let accepted = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "m", "delay_s": 90}"#)
        #expect(accepted.status == 202 && accepted.json["status"] as? String == "scheduled")
        clock.advance(by: .seconds(89))
        #expect(try await herald.worker.drain() == 0)
        clock.advance(by: .seconds(1))
        #expect(try await herald.worker.drain() == 1)
        #expect(slack.messages.count == 1)
    }

    @Test(arguments: [
        (#""send_at": "tomorrow""#, "send_at"),
        (#""send_at": "2026-13-01T00:00:00Z""#, "send_at"),
        (#""send_at": 1800000000"#, "send_at"),
        (#""delay_s": -1"#, "delay_s"),
        (#""delay_s": 1.5"#, "delay_s"),
        (#""delay_s": 31622401"#, "delay_s"),
        (#""delay_s": 5, "send_at": "2030-01-01T00:00:00Z""#, "delay_s"),
    ])
    func badTimesAreRefusedNamingTheField(fields: String, expectedField: String) async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let answer = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "m", \#(fields)}"#)
        #expect(answer.status == 422)
        #expect((answer.json["error"] as? [String: Any])?["field"] as? String == expectedField)
        #expect(try await herald.queue.depth().scheduled == 0)
    }

    @Test func moreThan366DaysAheadIsRefusedAnd366IsAccepted() async throws {
        let herald = try herald(RecordingChannel())
        let tooFar = StatusText.rfc3339(clock.now.addingTimeInterval(366 * 86_400 + 1))
        let refused = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "m", "send_at": "\#(tooFar)"}"#)
        #expect(refused.status == 422)
        #expect((refused.json["error"] as? [String: Any])?["code"] as? String == "invalid_value")
        let farthest = StatusText.rfc3339(clock.now.addingTimeInterval(366 * 86_400))
        #expect(await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "m", "send_at": "\#(farthest)"}"#).status == 202)
    }

    @Test func aSendAtWithAnOffsetOrInThePastIsUnderstood() async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let past = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "now", "send_at": "2000-01-01T00:00:00Z"}"#)
        #expect(past.status == 202 && past.json["status"] as? String == "pending", "a past time means now")
        let inOneHour = clock.now.addingTimeInterval(3600)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx"
        let local = formatter.string(from: inOneHour)
        #expect(local.hasSuffix("+01:00"))
        let offset = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "later", "send_at": "\#(local)"}"#)
        #expect(offset.status == 202)
        let id = try #require(offset.json["id"] as? String)
        #expect(await get(herald, "/v1/notifications/\(id)")["send_at"] as? String == StatusText.rfc3339(inOneHour))
    }

    @Test func cancelAnswers200ThenNothingToCancelAnd404ForAnUnknownID() async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let accepted = await post(herald, "/v1/notifications", #"{"topic": "sales", "message": "m", "delay_s": 600}"#)
        let id = try #require(accepted.json["id"] as? String)

        let canceled = await post(herald, "/v1/notifications/\(id)/cancel")
        #expect(canceled.status == 200)
        #expect(canceled.json["status"] as? String == "canceled")
        #expect((canceled.json["deliveries"] as? [[String: Any]])?.map { $0["status"] as? String } == ["canceled"])
        #expect(canceled.json["canceled_at"] as? String == StatusText.rfc3339(clock.now))

        let again = await post(herald, "/v1/notifications/\(id)/cancel")
        #expect(again.status == 409)
        #expect((again.json["error"] as? [String: Any])?["code"] as? String == "nothing_to_cancel")
        #expect(await post(herald, "/v1/notifications/ntf_nope/cancel").status == 404)

        clock.advance(by: .seconds(600))
        _ = try await herald.worker.drain()
        #expect(slack.messages.isEmpty, "a canceled notification is never sent")
        #expect(await get(herald, "/v1/notifications/\(id)")["status"] as? String == "canceled")
    }

    @Test func aSentNotificationHasNothingToCancel() async throws {
        let slack = RecordingChannel()
        let herald = try herald(slack)
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        try await herald.worker.drain()
        let answer = await post(herald, "/v1/notifications/\(receipt.id)/cancel")
        #expect(answer.status == 409)
        #expect(try await herald.status(of: receipt.id).status == .sent)
    }

    @Test func cancelNeedsTheAdminScope() async throws {
        let (sendKey, adminKey) = ("send-key-0123456789abcdef", "admin-key-0123456789abcdef")
        let configuration = try HeraldConfiguration.decode(Data("""
            {"http": {"api_keys": [{"key": "\(sendKey)", "scopes": ["send", "read"]},
                                   {"key": "\(adminKey)", "scopes": ["admin"]}]},
             "channels": {"slack": {"type": "console"}}, "routes": {"sales": ["slack"]}}
            """.utf8))
        let herald = try Herald(configuration: configuration, channels: ["slack": RecordingChannel()], clock: clock)
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "m", delaySeconds: 60))
        func cancel(with key: String) async -> Int {
            await herald.api.handle(HeraldAPI.Request(
                method: "POST", path: "/v1/notifications/\(receipt.id)/cancel",
                headers: [("Authorization", "Bearer \(key)")])).status
        }
        #expect(await cancel(with: sendKey) == 403)
        #expect(await cancel(with: adminKey) == 200)
    }
}

/// Timestamps as the status body writes them.
enum StatusText {
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
