import Foundation
import Herald
import HeraldTesting
import Testing

/// `dedupe_key` through the HTTP API (contract §11): `200` with the first id and `"deduplicated": true`, nothing
/// sent; bodies may differ, unlike `Idempotency-Key`; bad keys and windows are `422` naming the field.
@Suite struct DedupeTests {
    let clock = ManualClock()

    private func post(_ herald: Herald, _ body: String, headers: [(name: String, value: String)] = []) async
        -> (status: Int, json: [String: Any])
    {
        let response = await herald.api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications", headers: [("Content-Type", "application/json")] + headers,
            body: Array(body.utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    @Test func aRepeatInsideTheWindowIsAnswered200WithTheFirstIDAndSendsNothing() async throws {
        let slack = RecordingChannel()
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": slack], clock: clock)
        let first = await post(herald, #"{"topic": "sales", "message": "disk 91% full", "dedupe_key": "disk@db1", "dedupe_window_s": 300}"#)
        #expect(first.status == 202)
        #expect(first.json["deduplicated"] == nil)
        clock.advance(by: .seconds(299))
        let repeated = await post(herald, #"{"topic": "sales", "message": "disk 93% full", "dedupe_key": "disk@db1"}"#)
        #expect(repeated.status == 200)
        #expect(repeated.json["deduplicated"] as? Bool == true)
        #expect(repeated.json["id"] as? String == first.json["id"] as? String)
        try await herald.worker.drain()
        #expect(slack.messages.map(\.body) == ["disk 91% full"])

        clock.advance(by: .seconds(1))
        let later = await post(herald, #"{"topic": "sales", "message": "disk 95% full", "dedupe_key": "disk@db1"}"#)
        #expect(later.status == 202 && later.json["id"] as? String != first.json["id"] as? String)
    }

    @Test func theDefaultWindowIsAnHour() async throws {
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": RecordingChannel()], clock: clock)
        _ = await post(herald, #"{"topic": "sales", "message": "a", "dedupe_key": "k"}"#)
        clock.advance(by: .seconds(3599))
        #expect(await post(herald, #"{"topic": "sales", "message": "b", "dedupe_key": "k"}"#).status == 200)
        clock.advance(by: .seconds(1))
        #expect(await post(herald, #"{"topic": "sales", "message": "c", "dedupe_key": "k"}"#).status == 202)
    }

    @Test func anIdempotencyKeyReusedWithAnotherBodyIsStillAnErrorWhereADedupeKeyIsNot() async throws {
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": RecordingChannel()], clock: clock)
        _ = await post(herald, #"{"topic": "sales", "message": "a"}"#, headers: [("Idempotency-Key", "req-1")])
        #expect(await post(herald, #"{"topic": "sales", "message": "b"}"#, headers: [("Idempotency-Key", "req-1")]).status == 422)
        _ = await post(herald, #"{"topic": "sales", "message": "a", "dedupe_key": "d"}"#)
        #expect(await post(herald, #"{"topic": "sales", "message": "b", "dedupe_key": "d"}"#).status == 200)
    }

    @Test(arguments: [
        (#""dedupe_key": """#, "dedupe_key"),
        (#""dedupe_key": 5"#, "dedupe_key"),
        (#""dedupe_key": "a\u0001b""#, "dedupe_key"),
        (#""dedupe_window_s": 60"#, "dedupe_window_s"),
        (#""dedupe_key": "k", "dedupe_window_s": 0"#, "dedupe_window_s"),
        (#""dedupe_key": "k", "dedupe_window_s": 604801"#, "dedupe_window_s"),
    ])
    func badKeysAndWindowsAreRefusedNamingTheField(fields: String, expectedField: String) async throws {
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": RecordingChannel()], clock: clock)
        let answer = await post(herald, #"{"topic": "sales", "message": "m", \#(fields)}"#)
        #expect(answer.status == 422)
        #expect((answer.json["error"] as? [String: Any])?["field"] as? String == expectedField)
        #expect(try await herald.queue.depth().ready == 0)
    }
}
