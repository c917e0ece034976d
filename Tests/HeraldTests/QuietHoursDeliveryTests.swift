import Foundation
import Herald
import HeraldTesting
import Testing

/// Quiet hours through the HTTP API on a manual clock: a non-critical notification accepted at night in the user's
/// time zone is `scheduled` for the window's end (right across the DST change) and delivered then, not before;
/// a critical one goes at once; `PUT /v1/users/{id}` carries `timezone` and `quiet_hours`.
@Suite struct QuietHoursDeliveryTests {
    static let configuration = """
        {"channels": {"email": {"type": "console", "contact": "email"}}, "routes": {"digest": ["email"]},
         "users": [{"id": "ana", "email": "ana@example.com", "timezone": "Europe/Berlin",
                    "quiet_hours": {"start": "22:00", "end": "07:00"}}]}
        """

    private func post(_ herald: Herald, _ path: String, _ body: String, method: String = "POST") async -> (Int, [String: Any]) {
        let response = await herald.api.handle(HeraldAPI.Request(
            method: method, path: path, headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    @Test func aNightNotificationWaitsForSevenInTheMorningAcrossTheSpringChange() async throws {
        let email = RecordingChannel()
        let clock = ManualClock(start: RFC3339.date(from: "2026-03-28T22:30:00Z")!)  // 23:30 CET
        let herald = try Herald(
            configuration: try HeraldConfiguration.decode(Data(Self.configuration.utf8)), channels: ["email": email], clock: clock)
        let (status, receipt) = await post(herald, "/v1/notifications", #"{"topic": "digest", "user_id": "ana", "message": "Weekly"}"#)
        #expect(status == 202)
        #expect(receipt["status"] as? String == "scheduled")
        let id = try #require(receipt["id"] as? String)
        let document = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(id)"))
        let json = try #require((try? JSONSerialization.jsonObject(with: Data(document.body))) as? [String: Any])
        #expect(json["send_at"] as? String == "2026-03-29T05:00:00.000Z", "07:00 CEST, after the clocks went forward")

        clock.advance(to: RFC3339.date(from: "2026-03-29T04:59:59Z")!)
        #expect(try await herald.worker.drain() == 0)
        clock.advance(by: .seconds(1))
        #expect(try await herald.worker.drain() == 1)
        #expect(email.messages.map(\.body) == ["Weekly"])
    }

    @Test func aCriticalNotificationIgnoresQuietHoursAndADaytimeOneGoesAtOnce() async throws {
        let email = RecordingChannel()
        let clock = ManualClock(start: RFC3339.date(from: "2026-10-24T22:00:00Z")!)  // 00:00 CEST
        let herald = try Herald(
            configuration: try HeraldConfiguration.decode(Data(Self.configuration.utf8)), channels: ["email": email], clock: clock)
        let (_, critical) = await post(herald, "/v1/notifications", #"{"topic": "digest", "user_id": "ana", "message": "Breach", "critical": true}"#)
        #expect(critical["status"] as? String == "pending")
        let (_, night) = await post(herald, "/v1/notifications", #"{"topic": "digest", "user_id": "ana", "message": "Later"}"#)
        let id = try #require(night["id"] as? String)
        let status = try await herald.status(of: NotificationID(id))
        #expect(status.scheduledFor == RFC3339.date(from: "2026-10-25T06:00:00Z"), "07:00 CET, after the clocks went back")
        clock.advance(to: RFC3339.date(from: "2026-10-25T12:00:00Z")!)
        let (_, day) = await post(herald, "/v1/notifications", #"{"topic": "digest", "user_id": "ana", "message": "Now"}"#)
        #expect(day["status"] as? String == "pending")
    }

    @Test func putCarriesTimezoneAndQuietHoursAndRefusesBadOnes() async throws {
        let clock = ManualClock()
        let herald = try Herald(
            configuration: try HeraldConfiguration.decode(Data(Self.configuration.utf8)), channels: ["email": RecordingChannel()],
            clock: clock)
        let (status, stored) = await post(herald, "/v1/users/ben",
            #"{"email": "ben@example.com", "timezone": "America/New_York", "quiet_hours": {"start": "21:30", "end": "06:00"}}"#,
            method: "PUT")
        #expect(status == 200)
        #expect(stored["timezone"] as? String == "America/New_York")
        #expect(stored["quiet_hours"] as? [String: String] == ["start": "21:30", "end": "06:00"])
        for (body, field) in [
            (#"{"timezone": "Mars/Olympus"}"#, "timezone"),
            (#"{"quiet_hours": {"start": "21:30"}}"#, "quiet_hours.end"),
            (#"{"quiet_hours": {"start": "9pm", "end": "06:00"}}"#, "quiet_hours.start"),
        ] {
            let (code, answer) = await post(herald, "/v1/users/ben", body, method: "PUT")
            #expect(code == 422, "\(body)")
            #expect((answer["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
        }
    }

    @Test func aConfigFileWithAnUnknownTimeZoneIsRefusedWithItsPath() {
        let text = #"{"users": [{"id": "ana", "timezone": "Europe/Atlantis"}]}"#
        do {
            _ = try HeraldConfiguration.decode(Data(text.utf8))
            Issue.record("an unknown time zone must be refused")
        } catch {
            #expect(error.field == "users[0].timezone")
        }
    }
}
