import Foundation
import Herald
import HeraldTesting
import Testing

/// `/v1/dead-letters` (contract §12) through the HTTP API: a page newest first with a cursor and a channel filter;
/// retry by ids, by notification, by channel or all (sent afterwards); purge with the same selectors.
@Suite struct DeadLetterRoutesTests {
    let sms = ScriptedChannel([], then: .failed(reason: "21211 invalid number"))
    let email = ScriptedChannel([], then: .failed(reason: "550 mailbox unavailable"))

    private func herald() throws -> Herald {
        let configuration = try HeraldConfiguration.decode(Data("""
            {"channels": {"sms": {"type": "console", "contact": "sms"}, "email": {"type": "console", "contact": "email"}},
             "routes": {"alert": ["sms", "email"]},
             "users": [{"id": "ana", "email": "ana@example.com", "sms": "+15550002222"}]}
            """.utf8))
        return try Herald(configuration: configuration, channels: ["sms": sms, "email": email], clock: ManualClock())
    }

    private func call(_ herald: Herald, _ method: String, _ path: String, query: String? = nil, _ body: String? = nil)
        async -> (status: Int, json: [String: Any])
    {
        let response = await herald.api.handle(HeraldAPI.Request(
            method: method, path: path, query: query, headers: body == nil ? [] : [("Content-Type", "application/json")],
            body: Array((body ?? "").utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    /// Sends `count` alerts that fail on both channels and are dead-lettered; returns their ids, oldest first.
    private func failAlerts(_ herald: Herald, count: Int) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let accepted = await call(herald, "POST", "/v1/notifications", #"{"topic": "alert", "user_id": "ana", "message": "m\#(index)"}"#)
            ids.append(try #require(accepted.json["id"] as? String))
            try await herald.worker.drain()
        }
        return ids
    }

    @Test func aPageListsNewestFirstWithEveryFieldAndACursor() async throws {
        let herald = try herald()
        let ids = try await failAlerts(herald, count: 2)
        let first = await call(herald, "GET", "/v1/dead-letters", query: "limit=3")
        #expect(first.status == 200)
        let items = try #require(first.json["items"] as? [[String: Any]])
        #expect(items.count == 3)
        #expect(items.map { $0["notification_id"] as? String } == [ids[1], ids[1], ids[0]])
        let sms = try #require(items.first { $0["channel"] as? String == "sms" })
        #expect(sms["recipient"] as? String == "+1555•••2222")
        #expect(sms["reason"] as? String == "21211 invalid number")
        #expect(sms["attempts"] as? Int == 1)
        #expect((sms["id"] as? String)?.hasPrefix("\(ids[1])/sms|") == true)
        #expect(sms["dead_lettered_at"] is String)
        let cursor = try #require(first.json["next_cursor"] as? String)
        let second = await call(herald, "GET", "/v1/dead-letters", query: "limit=3&cursor=\(cursor)")
        #expect((second.json["items"] as? [[String: Any]])?.count == 1)
        #expect(second.json["next_cursor"] is NSNull)
        let smsOnly = await call(herald, "GET", "/v1/dead-letters", query: "channel=sms")
        #expect((smsOnly.json["items"] as? [[String: Any]])?.map { $0["channel"] as? String } == ["sms", "sms"])
    }

    @Test func retryByChannelRequeuesAndTheDeliveriesAreSent() async throws {
        let herald = try herald()
        let ids = try await failAlerts(herald, count: 2)
        sms.enqueue(.sent, .sent)
        let retried = await call(herald, "POST", "/v1/dead-letters/retry", #"{"channel": "sms"}"#)
        #expect(retried.status == 200 && retried.json["retried"] as? Int == 2)
        try await herald.worker.drain()
        for id in ids {
            let record = try await herald.status(of: NotificationID(id))
            #expect(record.deliveries.map(\.status) == [.sent, .failed])
        }
        let left = await call(herald, "GET", "/v1/dead-letters")
        #expect((left.json["items"] as? [[String: Any]])?.map { $0["channel"] as? String } == ["email", "email"])
    }

    @Test func retryAndPurgeByIdsByNotificationAndAll() async throws {
        let herald = try herald()
        let ids = try await failAlerts(herald, count: 3)
        let page = await call(herald, "GET", "/v1/dead-letters", query: "channel=email&limit=1")
        let letter = try #require((page.json["items"] as? [[String: Any]])?.first?["id"] as? String)
        email.enqueue(.sent)
        #expect(await call(herald, "POST", "/v1/dead-letters/retry", #"{"ids": ["\#(letter)"]}"#).json["retried"] as? Int == 1)
        #expect(await call(herald, "DELETE", "/v1/dead-letters", #"{"ids": ["\#(ids[0])"]}"#).json["purged"] as? Int == 2)
        #expect(await call(herald, "DELETE", "/v1/dead-letters", "{}").json["purged"] as? Int == 3)
        #expect((await call(herald, "GET", "/v1/dead-letters").json["items"] as? [[String: Any]])?.isEmpty == true)
        #expect(try await herald.status(of: NotificationID(ids[0])).deliveries.map(\.status) == [.failed, .failed])
    }

    @Test func badSelectorsAndQueriesAreRefusedNamingTheField() async throws {
        let herald = try herald()
        func error(_ method: String, _ path: String, query: String? = nil, _ body: String? = nil) async -> String {
            let answer = await call(herald, method, path, query: query, body)
            let error = answer.json["error"] as? [String: Any] ?? [:]
            return "\(answer.status) \(error["code"] as? String ?? "-") \(error["field"] as? String ?? "-")"
        }
        #expect(await error("GET", "/v1/dead-letters", query: "limit=0") == "422 invalid_value limit")
        #expect(await error("GET", "/v1/dead-letters", query: "limit=501") == "422 invalid_value limit")
        #expect(await error("GET", "/v1/dead-letters", query: "chanel=sms") == "422 unknown_field chanel")
        #expect(await error("GET", "/v1/dead-letters", query: "cursor=x") == "422 invalid_value cursor")
        #expect(await error("POST", "/v1/dead-letters/retry", #"{"ids": ["a"], "channel": "sms"}"#) == "422 invalid_value channel")
        #expect(await error("POST", "/v1/dead-letters/retry", #"{"ids": []}"#) == "422 invalid_value ids")
        #expect(await error("POST", "/v1/dead-letters/retry", #"{"ids": [1]}"#) == "422 invalid_value ids[0]")
        #expect(await error("DELETE", "/v1/dead-letters", #"{"all": true}"#) == "422 unknown_field all")
        #expect(await error("DELETE", "/v1/dead-letters") == "415 unsupported_media_type Content-Type")
        #expect(await error("PUT", "/v1/dead-letters", "{}").hasPrefix("405"))
    }

    @Test func theQueueDocumentCountsPerChannelAndListsLiveWorkers() async throws {
        let herald = try herald()
        _ = try await failAlerts(herald, count: 2)
        _ = await call(herald, "POST", "/v1/notifications", #"{"topic": "alert", "user_id": "ana", "message": "later", "delay_s": 60}"#)
        let queue = await call(herald, "GET", "/v1/queue")
        #expect(queue.status == 200)
        let channels = try #require(queue.json["channels"] as? [[String: Any]])
        #expect(channels.map { $0["channel"] as? String } == ["email", "sms"])
        #expect(channels.map { $0["dead"] as? Int } == [2, 2])
        #expect(channels.map { $0["scheduled"] as? Int } == [1, 1])
        #expect(channels.first?["oldest_ready_age_s"] is NSNull)
        let totals = try #require(queue.json["totals"] as? [String: Any])
        #expect(totals["dead"] as? Int == 4 && totals["scheduled"] as? Int == 2)
        let workers = try #require(queue.json["workers"] as? [[String: Any]])
        #expect(workers.count == 1 && workers.first?["in_flight"] as? Int == 0)
        #expect(workers.first?["last_heartbeat"] is String && workers.first?["heartbeat_age_s"] is Double)
        #expect(queue.json["complete"] as? Bool == true)
    }
}
