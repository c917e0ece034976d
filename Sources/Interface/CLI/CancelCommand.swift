import Foundation
import Herald
import HeraldHTTP

/// `herald cancel ID`: cancels a notification's deliveries not sent yet and prints its status JSON.
enum CancelCommand: Subcommand {
    static let name = "cancel"
    static let summary = "cancel a notification's deliveries not sent yet"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald cancel ID [--config PATH]

        Cancels every delivery of notification ID that is queued, scheduled or retrying, prints the
        status JSON (the body of POST /v1/notifications/{id}/cancel) and exits 0. Exits 1 when the
        notification is not found or nothing is left to cancel. A delivery being sent at that moment
        ends as what it really was. Needs the Redis queue (queue.kind "redis" or HERALD_REDIS_URL).
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        let (id, configuration) = try arguments.notificationOnRedis { "POST \($0)/v1/notifications/\($1)/cancel" }
        let herald = try Herald(configuration: configuration)
        defer { herald.shutdown() }
        let record = try await herald.cancel(NotificationID(id))
        print(String(decoding: StatusDocument.json(for: record), as: UTF8.self))
        return 0
    }
}
