import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Per-user throttles on routes and channels (contract §11): deliveries over them are `skipped` with reason
/// `throttled`; `critical` passes; on Redis the count is shared by every process.
@Suite struct ThrottleTests {
    static let configurationText = """
        {"channels": {"slack": {"type": "console"}, "email": {"type": "console"},
                      "sms": {"type": "console", "contact": "sms", "throttle": {"limit": 1, "window_s": 60}}},
         "routes": {"alerts": {"channels": ["slack", "email"], "throttle": {"limit": 2, "window_s": 3600}},
                    "codes": ["sms"]},
         "users": [{"id": "ana", "sms": "+15550002222"}, {"id": "ben", "sms": "+15550003333"}]}
        """

    private func statuses(_ herald: Herald, _ request: NotificationRequest) async throws -> [String] {
        let receipt = try await herald.send(request)
        let record = try await herald.status(of: receipt.id)
        return record.deliveries.map { "\($0.channel)=\($0.status.rawValue)" + ($0.reason.map { " (\($0))" } ?? "") }
    }

    @Test func aRouteThrottleSkipsTheNotificationsOverItPerUserUntilTheWindowMoves() async throws {
        let clock = ManualClock()
        let herald = try Herald(configuration: try HeraldConfiguration.decode(Data(Self.configurationText.utf8)), clock: clock)
        let alert = NotificationRequest(topic: "alerts", message: "CPU high", userID: "ana")
        #expect(try await statuses(herald, alert) == ["slack=queued", "email=queued"])
        clock.advance(by: .seconds(600))
        #expect(try await statuses(herald, alert) == ["slack=queued", "email=queued"])
        #expect(try await statuses(herald, alert) == ["slack=skipped (throttled)", "email=skipped (throttled)"])
        #expect(try await statuses(herald, NotificationRequest(topic: "alerts", message: "CPU high", userID: "ben"))
            == ["slack=queued", "email=queued"], "per user")
        var critical = alert
        critical.critical = true
        #expect(try await statuses(herald, critical) == ["slack=queued", "email=queued"], "critical is never throttled")
        clock.advance(by: .seconds(3000))
        #expect(try await statuses(herald, alert) == ["slack=queued", "email=queued"], "the first left the window")
    }

    @Test func aChannelThrottleCountsEveryNotificationThroughTheChannel() async throws {
        let clock = ManualClock()
        let herald = try Herald(configuration: try HeraldConfiguration.decode(Data(Self.configurationText.utf8)), clock: clock)
        #expect(try await statuses(herald, NotificationRequest(topic: "codes", message: "1234", userID: "ana"))
            == ["sms=queued"])
        #expect(try await statuses(herald, NotificationRequest(message: "5678", userID: "ana", channels: ["sms"]))
            == ["sms=skipped (throttled)"])
        clock.advance(by: .seconds(60))
        #expect(try await statuses(herald, NotificationRequest(message: "9012", userID: "ana", channels: ["sms"]))
            == ["sms=queued"])
    }

    @Test(.timeLimit(.minutes(1)))
    func onRedisTwoProcessesShareOneCount() async throws {
        let server = try RedisServer()
        var configuration = try HeraldConfiguration.decode(Data(Self.configurationText.utf8))
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(server.url)
        configuration.queue.keyPrefix = "throttle-\(UUID().uuidString.prefix(8))"
        let first = try Herald(configuration: configuration)
        let second = try Herald(configuration: configuration)
        defer { first.shutdown(); second.shutdown() }
        let alert = NotificationRequest(topic: "alerts", message: "disk", userID: "ana")
        #expect(try await statuses(first, alert) == ["slack=queued", "email=queued"])
        #expect(try await statuses(second, alert) == ["slack=queued", "email=queued"])
        #expect(try await statuses(first, alert) == ["slack=skipped (throttled)", "email=skipped (throttled)"])
        #expect(try await statuses(second, alert) == ["slack=skipped (throttled)", "email=skipped (throttled)"])
    }

    @Test func badThrottlesAreConfigurationErrorsNamingThePath() throws {
        for (text, path) in [
            (#"{"channels": {"s": {"type": "console"}}, "routes": {"a": {"channels": ["s"], "throttle": {"limit": 0, "window_s": 60}}}}"#, "routes.a.throttle.limit"),
            (#"{"channels": {"s": {"type": "console"}}, "routes": {"a": {"channels": ["s"], "throttle": {"limit": 1}}}}"#, "routes.a.throttle.window_s"),
            (#"{"channels": {"s": {"type": "console", "throttle": {"limit": 1, "window_s": 60, "x": 1}}}}"#, "channels.s.throttle.x"),
            (#"{"channels": {"s": {"type": "console"}}, "routes": {"a": {"throttle": {"limit": 1, "window_s": 60}}}}"#, "routes.a.channels"),
        ] {
            do {
                _ = try HeraldConfiguration.decode(Data(text.utf8))
                Issue.record("must be refused: \(text)")
            } catch {
                #expect(error.field == path, "\(text)")
            }
        }
    }
}
