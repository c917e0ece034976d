import Foundation
import Herald
import HeraldHTTP

/// `herald list`: notifications newest first, with the filters of `GET /v1/notifications`.
enum ListCommand: Subcommand {
    static let name = "list"
    static let summary = "list notifications, newest first, with filters"
    static let valueOptions: Set<String> = ["status", "topic", "user", "since", "until", "limit", "cursor"]
    static let help = """
        Usage: herald list [--status S] [--topic T] [--user ID] [--since TIME] [--until TIME] [--limit N]
                           [--cursor C] [--config PATH]

        Prints a table of notifications, newest first (id, created, topic, user, status, deliveries), 50 by
        default (at most 200), and the cursor of the next page. --status is pending, scheduled, sent, partial,
        failed or canceled; --since and --until are RFC 3339 times (2026-12-24T18:00:00Z), both inclusive.
        A page reads a bounded part of the index, so with several filters it may hold fewer rows and still
        have a next page. Needs the Redis queue (queue.kind "redis" or HERALD_REDIS_URL): the memory queue's
        notifications live in the serving process (GET /v1/notifications).
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        guard arguments.positionals.isEmpty else { throw UsageError("list takes no positional arguments") }
        let configuration = try arguments.loadConfiguration()
        guard configuration.queue.kind == .redis else {
            throw UsageError(
                "the memory queue's notifications live in the serving process: ask it, GET /v1/notifications "
                    + "(this command reads the Redis queue: queue.kind \"redis\" or HERALD_REDIS_URL)")
        }
        var filter = NotificationFilter()
        if let status = arguments.value("status") {
            guard let parsed = NotificationStatus(rawValue: status) else { throw UsageError("--status \(status) is not a status") }
            filter.status = parsed
        }
        filter.topic = arguments.value("topic").map(Topic.init(rawValue:))
        filter.userID = arguments.value("user").map(UserID.init(rawValue:))
        filter.since = try arguments.value("since").map(time)
        filter.until = try arguments.value("until").map(time)
        let limit = try arguments.value("limit").map { text throws(UsageError) -> Int in
            guard let limit = Int(text), (1...200).contains(limit) else { throw UsageError("--limit must be 1 to 200") }
            return limit
        } ?? 50
        let herald = try Herald(configuration: configuration)
        defer { herald.shutdown() }
        let page = try await herald.notifications(matching: filter, limit: limit, after: arguments.value("cursor"))
        var table = TextTable("id", "created", "topic", "user", "status", "deliveries")
        table.maxWidth = 60
        for record in page.records {
            table.add(
                record.id.rawValue, StatusDocument.timestamp(record.createdAt), record.topic?.rawValue ?? "-",
                record.userID?.rawValue ?? "-", record.status.rawValue,
                record.deliveries.map { "\($0.channel)=\($0.status.rawValue)" }.joined(separator: " "))
        }
        print(table.render())
        print(page.nextCursor.map { "next page: --cursor \($0)" } ?? "(last page)")
        return 0
    }

    private static func time(_ text: String) throws(UsageError) -> Date {
        guard let date = RFC3339.date(from: text) else { throw UsageError("\(text) is not an RFC 3339 time") }
        return date
    }
}
