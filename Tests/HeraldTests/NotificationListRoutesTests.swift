import Foundation
import Herald
import HeraldTesting
import Testing

/// `GET /v1/notifications` (contract §12): status bodies newest first with every filter and a cursor; bad
/// queries are refused naming the parameter.
@Suite struct NotificationListRoutesTests {
    let clock = ManualClock()

    private func call(_ herald: Herald, _ method: String, _ path: String, query: String? = nil, _ body: String? = nil)
        async -> (status: Int, json: [String: Any])
    {
        let response = await herald.api.handle(HeraldAPI.Request(
            method: method, path: path, query: query, headers: body == nil ? [] : [("Content-Type", "application/json")],
            body: Array((body ?? "").utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    @Test func listsWithFiltersAndFollowsTheCursor() async throws {
        let herald = try Herald(configuration: .embeddedDefault, channels: ["slack": RecordingChannel()], clock: clock)
        var ids: [String] = []
        for body in [#"{"topic": "sales", "message": "a"}"#, #"{"topic": "pricing", "user_id": "123", "message": "b"}"#,
                     #"{"topic": "sales", "message": "c"}"#] {
            ids.append(try #require(await call(herald, "POST", "/v1/notifications", body).json["id"] as? String))
            clock.advance(by: .seconds(1))
        }
        try await herald.worker.drain()
        let first = await call(herald, "GET", "/v1/notifications", query: "limit=2")
        #expect(first.status == 200)
        let items = try #require(first.json["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == [ids[2], ids[1]])
        #expect(items.first?["deliveries"] is [[String: Any]] && items.first?["status"] as? String == "sent")
        let cursor = try #require(first.json["next_cursor"] as? String)
        let second = await call(herald, "GET", "/v1/notifications", query: "limit=2&cursor=\(cursor)")
        #expect((second.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[0]])
        #expect(second.json["next_cursor"] is NSNull)

        let pricing = await call(herald, "GET", "/v1/notifications", query: "topic=pricing&user_id=123&status=sent")
        #expect((pricing.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[1]])
        let since = StatusDocument.timestamp(clock.now.addingTimeInterval(-1.5))
        let recent = await call(herald, "GET", "/v1/notifications", query: "since=\(since)")
        #expect((recent.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[2]])
    }

    @Test func badQueriesAreRefusedNamingTheParameter() async throws {
        let herald = try Herald(configuration: .embeddedDefault, clock: clock)
        func error(_ query: String) async -> String {
            let answer = await call(herald, "GET", "/v1/notifications", query: query)
            let error = answer.json["error"] as? [String: Any] ?? [:]
            return "\(answer.status) \(error["code"] as? String ?? "-") \(error["field"] as? String ?? "-")"
        }
        #expect(await error("status=lost") == "422 invalid_value status")
        #expect(await error("limit=201") == "422 invalid_value limit")
        #expect(await error("since=yesterday") == "422 invalid_value since")
        #expect(await error("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z") == "422 invalid_value since")
        #expect(await error("cursor=zz") == "422 invalid_value cursor")
        #expect(await error("topics=sales") == "422 unknown_field topics")
        #expect(await error("limit=1&limit=2") == "422 invalid_value limit")
        #expect(await error("topic=%ZZ") == "422 invalid_value topic")
    }
}
