// A host process for the SIGTERM test: a ServiceGroup running HeraldService that stops on SIGTERM. It accepts six
// notifications whose sends take 400 ms each, four at a time, prints "in flight" once four sends have begun, and,
// after the group returns, one "<id> <status>" line per notification and the queue's in-flight count.
import Herald
import HeraldServiceLifecycle
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends slowly and says when the fourth send has begun.
final class SlowChannel: NotificationChannel {
    private let begun = Atomic<Int>(0)

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        if begun.wrappingAdd(1, ordering: .relaxed).newValue == 4 {
            print("in flight")
            fflush(nil)
        }
        try? await Task.sleep(for: .milliseconds(400))
        return .sent
    }
}

var configuration = HeraldConfiguration.embeddedDefault
configuration.workers.concurrency = 4
let herald = try Herald(configuration: configuration, channels: ["slack": SlowChannel()])
let group = ServiceGroup(
    services: [HeraldService(herald)], gracefulShutdownSignals: [.sigterm], logger: Logger(label: "sigterm-probe"))
var ids: [NotificationID] = []
for index in 0..<6 {
    ids.append(try await herald.send(NotificationRequest(topic: "sales", message: "message \(index)")).id)
}
try await group.run()
for id in ids {
    print("\(id) \(try await herald.status(of: id).deliveries.map(\.status.rawValue).joined(separator: ","))")
}
print("in_flight \(try await herald.queueDepth().inFlight)")
