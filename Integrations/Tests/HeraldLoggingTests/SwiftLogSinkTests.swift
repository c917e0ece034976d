import Herald
import HeraldLogging
import HeraldTesting
import InMemoryLogging
import Logging
import Testing

@Suite("SwiftLogSink", .timeLimit(.minutes(1)))
struct SwiftLogSinkTests {
    @Test func mapsEachHeraldLevelToTheSameSwiftLogLevel() {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .trace
        let sink = SwiftLogSink(logger)
        for level in LogEntry.Level.allCases { sink.log(LogEntry(level, "at \(level)")) }
        #expect(handler.entries.map(\.level) == [.debug, .info, .warning, .error])
        #expect(handler.entries.map(\.message.description) == ["at debug", "at info", "at warning", "at error"])
    }

    @Test func passesHeraldsMetadataAsSwiftLogMetadata() {
        let handler = InMemoryLogHandler()
        let sink = SwiftLogSink(Logger(label: "test") { _ in handler })
        sink.log(LogEntry(.info, "delivery sent", metadata: ["notification_id": "ntf_1", "channel": "slack"]))
        #expect(handler.entries.first?.metadata == ["notification_id": "ntf_1", "channel": "slack"])
    }

    @Test func setsTheSourceToTheEntrysSourceNotTheHostsModule() {
        let handler = SourceRecordingLogHandler()
        let sink = SwiftLogSink(Logger(label: "test") { _ in handler })
        sink.log(LogEntry(.info, "request"))
        sink.log(LogEntry(.info, "custom", source: "herald.worker"))
        #expect(handler.sources == ["herald", "herald.worker"])
    }

    @Test func dropsEntriesBelowTheLoggersLevel() {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .warning
        SwiftLogSink(logger).log(LogEntry(.info, "request"))
        #expect(handler.entries.isEmpty)
    }

    @Test func aRunningHeraldLogsDeliveriesWithTheirMetadata() async throws {
        let handler = InMemoryLogHandler()
        let slack = RecordingChannel()
        let herald = try Herald(channels: ["slack": slack], logger: SwiftLogSink(Logger(label: "host") { _ in handler }))
        async let running: Void = herald.run()
        let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
        _ = try await herald.settled(receipt.id, timeout: .seconds(20))
        herald.stop()
        try await running
        let sent = try #require(handler.entries.first { $0.message.description == "delivery sent" })
        #expect(sent.metadata["notification_id"] == .string(receipt.id.rawValue))
        #expect(sent.metadata["channel"] == .string("slack"))
    }
}
