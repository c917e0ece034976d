// The README's first example: a Herald on the embedded default, its workers running, one notification sent
// and waited for. `swift build` compiles every snippet, so this example cannot drift from the API.
import Herald

let herald = try Herald(configuration: .embeddedDefault, logger: StandardErrorLogSink())
async let running: Void = herald.run()
let receipt = try await herald.send(NotificationRequest(topic: "sales", message: "Customer needs help"))
let record = try await herald.settled(receipt.id)
print(record.status)
herald.stop()
try await running
