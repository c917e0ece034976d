import Foundation
import Herald
import HeraldHTTP

/// `herald status ID`: prints a notification's status JSON.
enum StatusCommand: Subcommand {
    static let name = "status"
    static let summary = "print a notification's status as JSON"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald status ID [--config PATH]

        Prints the status of notification ID as JSON (the body of GET /v1/notifications/{id}) and
        exits 0, or exits 1 when it is not found. Needs the Redis queue (queue.kind "redis" or
        HERALD_REDIS_URL): a memory queue lives inside the process that accepted the notification.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        let (id, configuration) = try arguments.notificationOnRedis { "GET \($0)/v1/notifications/\($1)" }
        let herald = try Herald(configuration: configuration)
        defer { herald.shutdown() }
        let record = try await herald.status(of: NotificationID(id))
        print(String(decoding: StatusDocument.json(for: record), as: UTF8.self))
        return 0
    }
}
