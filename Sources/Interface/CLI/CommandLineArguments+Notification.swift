import Herald

extension CommandLineArguments {
    /// The one notification id of `herald status` and `herald cancel`, and the configuration, which must use the Redis
    /// queue: a memory queue lives in the process that accepted the notification, so the error names the HTTP call
    /// (`route`, given the server's base URL and the id) to ask that server instead.
    func notificationOnRedis(route: (String, String) -> String) throws -> (id: String, configuration: HeraldConfiguration) {
        try rejectUnknownFlags([])
        guard positionals.count == 1, let id = positionals.first else {
            throw UsageError("give exactly one notification id")
        }
        let configuration = try loadConfiguration()
        guard configuration.queue.kind == .redis else {
            let server = "http://\(configuration.http.host):\(configuration.http.port)"
            throw UsageError(
                "on the memory queue a notification lives in the process that accepted it: ask that server, "
                    + "\(route(server, id)) (this command reads the Redis queue: queue.kind \"redis\" or HERALD_REDIS_URL)")
        }
        return (id, configuration)
    }
}
