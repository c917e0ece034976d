import Foundation
import Herald

/// `herald demo`: replays the five seed scenarios, a push scenario and the workflow scenarios on the embedded default and prints what each
/// channel sent and each notification's final status. Exits 1 if any outcome is not the expected one.
enum DemoCommand: Subcommand {
    static let name = "demo"
    static let summary = "replay the seed scenarios on the embedded default and print the results"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald demo [--config PATH]

        Replays the five scenarios Herald replaces and a push scenario, through the library's public API (Herald.send,
        status, retry and the worker), with requests decoded from the JSON bodies a client would post:
          1. a bot posting {topic, description}: sales → slack, pricing → email
          2. a user-targeted {user_id, message, channel} with a contact lookup and the preferred channel
          3. a user.registered event fanned out to two subscribers (slack and email)
          4. a templated event with status tracking, a provider failure, and a resend
          5. a purchase fanned out to slack, email and sms, sent twice with one Idempotency-Key
          6. push to a user's two iPhones and Android phone through the real APNs and FCM channels, on
             fake credentials against local stand-ins; an unregistered token is removed from the user
          7. workflows: a scheduled reminder, a canceled one, and a repeated alert deduplicated
          8. a fallback chain: the sms provider rejects a code, so it goes out by email
          9. a topic defined at run time with a digest: three comments become one email
        Console channels print each delivery; the demo then prints a table of what each channel sent
        and every notification's final status. Runs on the embedded default unless --config (or
        HERALD_CONFIG) names a file; the scenarios expect the default's channels, routes and users.
        With HERALD_REDIS_URL (or queue.kind "redis") the demo runs on Redis, under a key prefix of
        its own (herald-demo-…), so it never touches a deployment's queue on the same server.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        var configuration = try arguments.loadConfiguration()
        if configuration.queue.kind == .redis {
            // Keep the demo's keys apart from any real deployment on the same Redis, and short-lived.
            configuration.queue.keyPrefix = "herald-demo-\(NotificationID.generate().rawValue.suffix(8))"
            configuration.queue.recordRetention = .seconds(3600)
        }
        let transcript = Transcript()
        let channels = Dictionary(uniqueKeysWithValues: configuration.channels.keys.map {
            ($0, TranscriptChannel(transcript: transcript))
        })
        let herald = try Herald(
            configuration: configuration, channels: channels, logger: StandardErrorLogSink(minimumLevel: .warning))
        defer { herald.shutdown() }
        print("queue: \(configuration.queue.kind.rawValue)"
            + (configuration.queue.kind == .redis ? " (keys under {\(configuration.queue.keyPrefix)})" : ""))
        var script = DemoScript(herald: herald, channels: channels)
        try await script.play()
        printSummary(transcript: transcript, statuses: script.results)
        let unexpected = script.results.filter { $0.record.status != $0.expected }
        for result in unexpected {
            printError("demo: \(result.record.id) ended \(result.record.status.rawValue), expected \(result.expected.rawValue)")
        }
        return unexpected.isEmpty ? 0 : 1
    }

    private static func printSummary(transcript: Transcript, statuses: [DemoScript.Result]) {
        var sent = TextTable("#", "channel", "to", "subject", "message", "outcome")
        for (index, line) in transcript.all.enumerated() {
            sent.add("\(index + 1)", line.channel.rawValue, line.recipients.joined(separator: ", "),
                     line.subject ?? "", line.body, line.outcome)
        }
        var final = TextTable("scenario", "notification", "topic", "status", "deliveries")
        final.maxWidth = 64
        for result in statuses {
            let deliveries = result.record.deliveries.map {
                "\($0.channel)=\($0.status.rawValue)/\($0.attempts)"
            }.joined(separator: " ")
            final.add(result.scenario, result.record.id.rawValue, result.record.topic?.rawValue ?? "-",
                      result.record.status.rawValue, deliveries)
        }
        print("\nWhat each channel sent:\n\(sent.render())")
        print("\nFinal status of each notification (deliveries: channel=status/attempts):\n\(final.render())")
    }
}
