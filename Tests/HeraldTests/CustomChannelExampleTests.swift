import Herald
import Synchronization
import Testing

/// A channel for a paging service; this one records each page instead of calling a provider.
struct PagerChannel: NotificationChannel {
    final class Pages: Sendable {
        private let sent = Mutex<[String]>([])
        func append(_ page: String) { sent.withLock { $0.append(page) } }
        var all: [String] { sent.withLock { $0 } }
    }

    let pages = Pages()

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        pages.append(message.body)
        return .sent
    }
}

@Test func incidentsArePaged() async throws {
    var configuration = HeraldConfiguration.embeddedDefault
    configuration.channels["pager"] = HeraldConfiguration.ChannelSettings(kind: .custom)
    configuration.routes["incident"] = ["pager"]
    let pager = PagerChannel()
    let herald = try Herald(configuration: configuration, channels: ["pager": pager])

    _ = try await herald.send(NotificationRequest(topic: "incident", message: "db-1 is down"))
    try await herald.worker.drain()

    #expect(pager.pages.all == ["db-1 is down"])
}
