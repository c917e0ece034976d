import Foundation
import Herald

/// `herald send`: accepts one notification and prints its id.
enum SendCommand: Subcommand {
    static let name = "send"
    static let summary = "send one notification and print its id"
    static let valueOptions: Set<String> = [
        "topic", "message", "subject", "user", "channel", "template", "data", "idempotency-key", "at", "delay",
    ]
    static let help = """
        Usage: herald send [--topic T] [--message M | --template NAME --data JSON] [--subject S]
                           [--user ID] [--channel NAME]... [--idempotency-key KEY]
                           [--at RFC3339-TIME | --delay SECONDS] [--config PATH]

        Accepts a notification and prints its id on standard output. With the Redis queue the
        workers (any process) deliver it. With the memory queue (the embedded default) the queue
        lives in this process, so send also delivers it before exiting and prints each delivery's
        final status on standard error. --at and --delay schedule it (status "scheduled"; at most
        366 days ahead); they need the Redis queue, which keeps it until its time.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        guard arguments.positionals.isEmpty else {
            throw UsageError("unexpected argument \"\(arguments.positionals[0])\"")
        }
        var data: [String: JSONValue] = [:]
        if let json = arguments.value("data") {
            do {
                data = try JSONValue.parseObject(Data(json.utf8))
            } catch {
                throw UsageError("--data must be a JSON object")
            }
        }
        var sendAt: Date?
        if let text = arguments.value("at") {
            guard let date = RFC3339.date(from: text) else {
                throw UsageError("--at must be an RFC 3339 time such as 2026-12-24T18:00:00Z")
            }
            sendAt = date
        }
        let delay = try arguments.value("delay").map { text throws(UsageError) -> Int in
            guard let seconds = Int(text), seconds >= 0 else { throw UsageError("--delay must be a whole number of seconds") }
            return seconds
        }
        if sendAt != nil, delay != nil { throw UsageError("give --at or --delay, not both") }
        let request = NotificationRequest(
            topic: arguments.value("topic").map(Topic.init(rawValue:)),
            message: arguments.value("message"),
            subject: arguments.value("subject"),
            userID: arguments.value("user").map(UserID.init(rawValue:)),
            channels: arguments.values("channel").map(ChannelName.init(rawValue:)),
            template: arguments.value("template").map(TemplateName.init(rawValue:)),
            data: data, sendAt: sendAt, delaySeconds: delay)
        let configuration = try arguments.loadConfiguration()
        if sendAt != nil || delay != nil, configuration.queue.kind == .memory {
            throw UsageError(
                "a scheduled send needs the Redis queue (queue.kind \"redis\" or HERALD_REDIS_URL): the memory queue ends with this process")
        }
        let herald = try Herald(configuration: configuration, logger: StandardErrorLogSink(minimumLevel: .warning))
        defer { herald.shutdown() }
        let receipt = try await herald.send(request, idempotencyKey: arguments.value("idempotency-key"))
        print(receipt.id.rawValue)
        guard herald.configuration.queue.kind == .memory else { return 0 }
        try await herald.worker.drain(waitForRetries: { try await SystemClock().sleep(until: $0) })
        let record = try await herald.status(of: receipt.id)
        let deliveries = record.deliveries.map { "\($0.channel)=\($0.status.rawValue)" }.joined(separator: " ")
        printError("\(record.id): \(record.status.rawValue) (\(deliveries))")
        return record.status == .failed ? 1 : 0
    }
}
