// A process in which no thread can be started: it lowers its own RLIMIT_NPROC to 1 (after giving up
// root, which the limit does not bind), then asks every part of Herald that needs a dedicated thread to
// start one, and prints what each answered. Before DedicatedThread, each of them waited forever.
//
// Usage: HeraldThreadProbe <port>; prints "helper: ...", "redis: ...", "smtp: ..." and "done".
import Foundation
import HeraldApplication
import HeraldChannels
import HeraldDomain
import HeraldRedis
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func report(_ line: String) {
    print(line)
    fflush(nil)
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1

// Start the runtime's own threads (cooperative pool, timers) while threads can still be started.
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<4 { group.addTask { try? await Task.sleep(for: .milliseconds(20)) } }
}

if getuid() == 0 {
    guard setgid(65534) == 0, setuid(65534) == 0 else {
        report("setup: cannot give up root: errno \(errno)")
        exit(2)
    }
}
var limit = rlimit(rlim_cur: 1, rlim_max: 1)
#if canImport(Glibc)
    let resource = __rlimit_resource_t(__RLIMIT_NPROC.rawValue)
#else
    let resource = RLIMIT_NPROC
#endif
guard setrlimit(resource, &limit) == 0 else {
    report("setup: setrlimit failed: errno \(errno)")
    exit(2)
}

do {
    try DedicatedThread.start(name: "probe") {}
    report("helper: started a thread")
} catch {
    report("helper: \(error)")
}

do {
    let client = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"))
    let reply = try await client.send(RESPCommand("PING"))
    report("redis: replied \(reply)")
} catch {
    report("redis: \(error)")
}

let smtp = SMTPEmailChannel(configuration: .init(host: "127.0.0.1", port: port, from: "herald@example.com"))
let outcome = try await smtp.send(
    OutgoingMessage(
        deliveryID: DeliveryID(notificationID: "ntf_probe", channel: "email"), topic: nil, subject: "probe",
        body: "probe", recipients: ["ana@example.com"]))
report("smtp: \(outcome)")
report("done")
