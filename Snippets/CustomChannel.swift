// A channel of your own, first-class: declared as "type": "custom" and given to Herald by name. A route names
// it like any built-in channel; a misspelled name is a configuration error, not a silent new channel.
import Herald

struct PagerChannel: NotificationChannel {
    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        print("page: \(message.body)")
        return .sent
    }
}

var configuration = HeraldConfiguration.embeddedDefault
configuration.channels["pager"] = HeraldConfiguration.ChannelSettings(kind: .custom)
configuration.routes["incident"] = ["pager"]
let herald = try Herald(configuration: configuration, channels: ["pager": PagerChannel()])
async let running: Void = herald.run()
let receipt = try await herald.send(NotificationRequest(topic: "incident", message: "db-1 is down"))
print(try await herald.settled(receipt.id).status)
herald.stop()
try await running
