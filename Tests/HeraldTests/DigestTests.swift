import Foundation
import Herald
import HeraldTesting
import Testing

/// Digests (contract §11) through the HTTP API on a manual clock: a user's notifications of a digest route inside
/// the window become one message rendered with `{{count}}` and `{{#items}}…{{/items}}`, sent when the window ends.
@Suite struct DigestTests {
    let clock = ManualClock()
    let slack = RecordingChannel()
    let email = RecordingChannel()

    private func herald(digest: String = #"{"window_s": 600, "template": "activity"}"#) throws -> Herald {
        let configuration = try HeraldConfiguration.decode(Data("""
            {"channels": {"slack": {"type": "console"}, "email": {"type": "console", "contact": "email"}},
             "routes": {"comments": {"channels": ["email"], "digest": \(digest)}},
             "templates": {"activity": {"subject": "{{count}} new comments",
                                        "body": "{{#items}}- {{author}}: {{message}}\\n{{/items}}",
                                        "channels": {"slack": {"body": "{{count}} comments"}}}},
             "users": [{"id": "ana", "email": "ana@example.com"}, {"id": "ben", "email": "ben@example.com"}]}
            """.utf8))
        return try Herald(configuration: configuration, channels: ["slack": slack, "email": email], clock: clock)
    }

    private func post(_ herald: Herald, _ body: String, key: String? = nil) async -> (status: Int, json: [String: Any]) {
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        let response = await herald.api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/notifications", headers: headers, body: Array(body.utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    private func comment(_ user: String, _ author: String, _ text: String, extra: String = "") -> String {
        #"{"topic": "comments", "user_id": "\#(user)", "message": "\#(text)", "data": {"author": "\#(author)"}\#(extra)}"#
    }

    @Test func notificationsInsideTheWindowBecomeOneMessageSentWhenItEnds() async throws {
        let herald = try herald()
        let first = await post(herald, comment("ana", "Bo", "Nice"))
        #expect(first.status == 202 && first.json["status"] as? String == "scheduled")
        let id = try #require(first.json["id"] as? String)
        clock.advance(by: .seconds(60))
        let second = await post(herald, comment("ana", "Cy", "Agreed"))
        #expect(second.status == 202 && second.json["id"] as? String == id && second.json["digested"] as? Bool == true)
        _ = await post(herald, comment("ana", "Di", "Ship it"))
        #expect(try await herald.worker.drain() == 0, "nothing is sent before the window ends")

        let status = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
        let document = (try? JSONSerialization.jsonObject(with: Data(status.body))) as? [String: Any] ?? [:]
        #expect((document["digest"] as? [String: Int])?["count"] == 3)
        #expect(document["status"] as? String == "scheduled")

        clock.advance(by: .seconds(539))
        #expect(try await herald.worker.drain() == 0, "not a second early: the window began with the first")
        clock.advance(by: .seconds(1))
        #expect(try await herald.worker.drain() == 1)
        #expect(email.messages.map(\.subject) == ["3 new comments"])
        #expect(email.messages.map(\.body) == ["- Bo: Nice\n- Cy: Agreed\n- Di: Ship it\n"])
        #expect(email.messages.first?.recipients == ["ana@example.com"])

        let after = await post(herald, comment("ana", "Ed", "Late"))
        #expect(after.status == 202 && after.json["id"] as? String != id, "after the window a new digest starts")
        #expect(after.json["digested"] == nil)
    }

    @Test func eachUserHasTheirOwnDigestAndCriticalBypassesIt() async throws {
        let herald = try herald()
        let ana = await post(herald, comment("ana", "Bo", "a"))
        let ben = await post(herald, comment("ben", "Bo", "b"))
        #expect(ana.json["id"] as? String != ben.json["id"] as? String)
        let critical = await post(herald, comment("ana", "Bo", "Breach", extra: #", "critical": true"#))
        #expect(critical.status == 202 && critical.json["status"] as? String == "pending" && critical.json["digested"] == nil)
        try await herald.worker.drain()
        #expect(email.messages.map(\.body) == ["Breach"])
        clock.advance(by: .seconds(600))
        try await herald.worker.drain()
        #expect(email.messages.count == 3)
    }

    @Test func aDedupeKeyOrAnIdempotencyKeySeenInTheDigestCountsOnce() async throws {
        let herald = try herald()
        let first = await post(herald, comment("ana", "Bo", "x", extra: #", "dedupe_key": "c-1""#))
        let repeated = await post(herald, comment("ana", "Bo", "x again", extra: #", "dedupe_key": "c-1""#))
        #expect(repeated.status == 200 && repeated.json["deduplicated"] as? Bool == true)
        #expect(repeated.json["id"] as? String == first.json["id"] as? String)
        let keyed = await post(herald, comment("ana", "Cy", "y"), key: "k-1")
        let again = await post(herald, comment("ana", "Cy", "y"), key: "k-1")
        #expect(keyed.status == 202 && again.status == 202 && again.json["id"] as? String == keyed.json["id"] as? String)
        clock.advance(by: .seconds(600))
        try await herald.worker.drain()
        #expect(email.messages.map(\.subject) == ["2 new comments"])
    }

    @Test func anItemMissingWhatTheTemplateNeedsIsRefusedAndChangesNothing() async throws {
        let herald = try herald()
        let first = await post(herald, comment("ana", "Bo", "a"))
        let missing = await post(herald, #"{"topic": "comments", "user_id": "ana", "message": "no author"}"#)
        #expect(missing.status == 422)
        #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "missing_template_data")
        #expect((missing.json["error"] as? [String: Any])?["field"] as? String == "data.author")
        let id = try #require(first.json["id"] as? String)
        let status = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
        #expect(String(decoding: status.body, as: UTF8.self).contains(#""digest":{"count":1}"#))
    }

    @Test func aCanceledDigestLetsTheNextRequestStartANewOne() async throws {
        let herald = try herald()
        let first = await post(herald, comment("ana", "Bo", "a"))
        let id = try #require(first.json["id"] as? String)
        let canceled = await herald.api.handle(HeraldAPI.Request(method: "POST", path: "/v1/notifications/\(id)/cancel"))
        #expect(canceled.status == 200)
        let next = await post(herald, comment("ana", "Cy", "b"))
        #expect(next.status == 202 && next.json["id"] as? String != id && next.json["digested"] == nil)
    }

    @Test func anInlineDigestTemplateRendersTheItems() async throws {
        let herald = try herald(digest: #"{"window_s": 60, "template": "You have {{count}} new: {{#items}}[{{message}}]{{/items}}"}"#)
        _ = await post(herald, comment("ana", "Bo", "one"))
        _ = await post(herald, comment("ana", "Bo", "two"))
        clock.advance(by: .seconds(60))
        try await herald.worker.drain()
        #expect(email.messages.map(\.body) == ["You have 2 new: [one][two]"])
    }
}
