import Foundation
import Herald
import HeraldHTTP

/// `herald dead-letters list|retry|purge`: the dead letters of the Redis queue, for operators.
enum DeadLettersCommand: Subcommand {
    static let name = "dead-letters"
    static let summary = "list, retry or purge dead letters"
    static let valueOptions: Set<String> = ["channel", "limit", "cursor", "id"]
    static let help = """
        Usage: herald dead-letters list [--channel NAME] [--limit N] [--cursor C] [--config PATH]
               herald dead-letters retry (--id ID ... | --channel NAME | --all) [--config PATH]
               herald dead-letters purge (--id ID ... | --channel NAME | --all) [--config PATH]

        list prints a table of dead letters, newest first (id, channel, recipient, attempts, dead-lettered at,
        reason), 50 by default (at most 500), and the cursor of the next page. retry requeues the selected
        letters' deliveries with a fresh attempt budget; purge removes them (their deliveries stay failed).
        An --id is a dead letter's id (NOTIFICATION/DELIVERY, as list prints it) or a notification id (all its
        dead letters). Each prints how many it changed. Needs the Redis queue (queue.kind "redis" or
        HERALD_REDIS_URL): the memory queue's dead letters live in the serving process (GET /v1/dead-letters).
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        guard let action = arguments.positionals.first, arguments.positionals.count == 1,
            ["list", "retry", "purge"].contains(action)
        else { throw UsageError("give list, retry or purge") }
        try arguments.rejectUnknownFlags(action == "list" ? [] : ["all"])
        let configuration = try arguments.loadConfiguration()
        guard configuration.queue.kind == .redis else {
            throw UsageError(
                "the memory queue's dead letters live in the serving process: ask it, GET /v1/dead-letters "
                    + "(this command reads the Redis queue: queue.kind \"redis\" or HERALD_REDIS_URL)")
        }
        let herald = try Herald(configuration: configuration)
        defer { herald.shutdown() }
        if action == "list" {
            let limit = try arguments.value("limit").map { text throws(UsageError) -> Int in
                guard let limit = Int(text), (1...500).contains(limit) else { throw UsageError("--limit must be 1 to 500") }
                return limit
            } ?? 50
            let page = try await herald.deadLetters(
                channel: arguments.value("channel").map(ChannelName.init(rawValue:)), limit: limit,
                after: arguments.value("cursor"))
            var table = TextTable("id", "channel", "recipient", "attempts", "dead-lettered at", "reason")
            for letter in page.letters {
                let id = letter.unit.id
                table.add(
                    "\(id.notificationID)/\(id.key)", id.channel.rawValue, id.recipient.map(RecipientMask.mask) ?? "",
                    String(letter.attempts ?? letter.unit.attempts), StatusDocument.timestamp(letter.deadAt), letter.reason)
            }
            print(table.render())
            print(page.nextCursor.map { "next page: --cursor \($0)" } ?? "(last page)")
            return 0
        }
        let selection = try selection(arguments)
        let count = action == "retry" ? try await herald.retryDeadLetters(selection) : try await herald.purgeDeadLetters(selection)
        print("\(action == "retry" ? "retried" : "purged") \(count)")
        return 0
    }

    private static func selection(_ arguments: CommandLineArguments) throws(UsageError) -> ManageDeadLetters.Selection {
        let ids = arguments.values("id")
        let channel = arguments.value("channel")
        let all = arguments.flags.contains("all")
        switch (ids.isEmpty, channel, all) {
        case (false, nil, false): return .ids(ids)
        case (true, let channel?, false): return .channel(ChannelName(channel))
        case (true, nil, true): return .all
        default: throw UsageError("give --id (repeatable), --channel or --all: exactly one of them")
        }
    }
}
