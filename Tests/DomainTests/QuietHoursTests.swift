import Foundation
import HeraldDomain
import Testing

/// Quiet hours end at the right instant in the user's time zone, on both sides of daylight-saving changes (the OS's
/// time zone data): a window crossing midnight, one within a day, and an end inside the hour a jump skips.
@Suite struct QuietHoursTests {
    static func instant(_ text: String) -> Date { RFC3339.date(from: text)! }
    static let night = QuietHours(start: 22 * 60, end: 7 * 60)
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    @Test(arguments: [
        // Berlin springs forward on 2026-03-29 (02:00 CET → 03:00 CEST): 23:00 CET the night before ends at 07:00 CEST.
        ("2026-03-28T22:00:00Z", "2026-03-29T05:00:00Z"),
        ("2026-03-29T04:59:00Z", "2026-03-29T05:00:00Z"),
        // A week before, in winter time, 07:00 CET is 06:00 UTC.
        ("2026-03-21T22:00:00Z", "2026-03-22T06:00:00Z"),
        // Berlin falls back on 2026-10-25 (03:00 CEST → 02:00 CET): 23:00 CEST ends at 07:00 CET.
        ("2026-10-24T21:00:00Z", "2026-10-25T06:00:00Z"),
        // Inside the repeated hour (02:30 CET, the second one) the window still ends at 07:00 CET.
        ("2026-10-25T01:30:00Z", "2026-10-25T06:00:00Z"),
        // A week before, in summer time, 07:00 CEST is 05:00 UTC.
        ("2026-10-17T21:00:00Z", "2026-10-18T05:00:00Z"),
    ])
    func aNightWindowInBerlinEndsAtSevenLocalTime(at: String, ends: String) {
        #expect(Self.night.end(ofWindowAt: Self.instant(at), in: Self.berlin) == Self.instant(ends))
    }

    @Test func outsideTheWindowNothingWaits() {
        #expect(Self.night.end(ofWindowAt: Self.instant("2026-03-29T05:00:00Z"), in: Self.berlin) == nil, "07:00 sharp is open")
        #expect(Self.night.end(ofWindowAt: Self.instant("2026-03-29T19:59:00Z"), in: Self.berlin) == nil, "21:59 CEST")
        #expect(Self.night.end(ofWindowAt: Self.instant("2026-03-29T20:00:00Z"), in: Self.berlin) != nil, "22:00 CEST")
    }

    @Test func newYorkSpringsForwardOnTheEighthOfMarch() {
        // 2026-03-08 02:00 EST → 03:00 EDT: 23:00 EST ends at 07:00 EDT = 11:00 UTC (a day earlier it was 12:00 UTC).
        #expect(Self.night.end(ofWindowAt: Self.instant("2026-03-08T04:00:00Z"), in: Self.newYork) == Self.instant("2026-03-08T11:00:00Z"))
        #expect(Self.night.end(ofWindowAt: Self.instant("2026-03-07T04:00:00Z"), in: Self.newYork) == Self.instant("2026-03-07T12:00:00Z"))
    }

    @Test func anEndInsideTheSkippedHourMovesToTheFirstTimeThatExists() {
        let lateNight = QuietHours(start: 60, end: 150)  // 01:00–02:30; 02:30 does not exist in Berlin on 2026-03-29
        #expect(lateNight.end(ofWindowAt: Self.instant("2026-03-29T00:30:00Z"), in: Self.berlin) == Self.instant("2026-03-29T01:00:00Z"))
    }

    @Test func aWindowWithinOneDay() {
        let lunch = QuietHours(start: 12 * 60, end: 13 * 60 + 30)
        #expect(lunch.end(ofWindowAt: Self.instant("2026-06-01T10:15:00Z"), in: Self.berlin) == Self.instant("2026-06-01T11:30:00Z"))
        #expect(lunch.end(ofWindowAt: Self.instant("2026-06-01T09:59:00Z"), in: Self.berlin) == nil)
    }

    @Test(arguments: [
        (#"{"start": "22:00"}"#, "q.end"), (#"{"start": "24:00", "end": "07:00"}"#, "q.start"),
        (#"{"start": "7:00", "end": "08:00"}"#, "q.start"), (#"{"start": "07:00", "end": "07:00"}"#, "q.end"),
        (#""22-07""#, "q"),
    ])
    func badWindowsAreRefusedNamingTheField(json: String, field: String) throws {
        let value = try JSONValue.parse(Data(json.utf8))
        #expect(throws: HeraldError(.invalidValue, "", field: field)) { try QuietHours.parse(value, field: "q") }
        let extra = try JSONValue.parse(Data(#"{"start": "22:00", "end": "07:00", "tz": "x"}"#.utf8))
        #expect(throws: HeraldError(.unknownField, "", field: "q.tz")) { try QuietHours.parse(extra, field: "q") }
    }
}
