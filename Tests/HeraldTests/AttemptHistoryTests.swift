import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Every attempt of a delivery is on its timeline (`history` in the status body), on both queue backends.
@Suite struct AttemptHistoryTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, redis
        var testDescription: String { rawValue }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Backend.allCases)
    func eachAttemptIsOnTheTimelineWithItsOutcomeAndError(_ backend: Backend) async throws {
        var configuration = try HeraldConfiguration.decode(Data("""
            {"queue": {"backoff": {"initial_ms": 1, "max_ms": 1}}, "channels": {"slack": {"type": "console"}},
             "routes": {"sales": ["slack"]}}
            """.utf8))
        var server: RedisServer?
        if backend == .redis {
            server = try RedisServer()
            configuration.queue.kind = .redis
            configuration.queue.redisURL = Secret(server!.url)
        }
        let slack = ScriptedChannel([
            .retry(reason: "503 busy"), .rateLimited(retryAfter: .milliseconds(1), reason: "429"), .sent, .failed(reason: "400 gone"),
        ])
        let herald = try Herald(configuration: configuration, channels: ["slack": slack])
        defer { herald.shutdown() }
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "m"))
        try await herald.worker.drain(waitForRetries: { try await SystemClock().sleep(until: $0) })
        let status = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(receipt.id)"))
        let document = (try? JSONSerialization.jsonObject(with: Data(status.body))) as? [String: Any] ?? [:]
        let delivery = try #require((document["deliveries"] as? [[String: Any]])?.first)
        let history = try #require(delivery["history"] as? [[String: Any]])
        #expect(history.map { $0["outcome"] as? String } == ["retry", "rate_limited", "sent"])
        #expect(history.map { $0["error"] as? String } == ["503 busy", "429", nil])
        #expect(history.allSatisfy { $0["at"] is String && $0["duration_ms"] is Int })
        #expect(delivery["attempts"] as? Int == 3)

        let failing = try await herald.send(NotificationRequest(topic: "sales", message: "m2"))
        try await herald.worker.drain()
        let failed = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(failing.id)"))
        let failedDocument = (try? JSONSerialization.jsonObject(with: Data(failed.body))) as? [String: Any] ?? [:]
        let failedHistory = (failedDocument["deliveries"] as? [[String: Any]])?.first?["history"] as? [[String: Any]]
        #expect(failedHistory?.map { $0["outcome"] as? String } == ["failed"], "\(failedDocument)")
    }
}
