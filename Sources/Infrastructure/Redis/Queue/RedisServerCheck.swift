/// Checks at start-up that the Redis server is set up so accepted notifications survive:
/// `maxmemory-policy noeviction` (Redis must never evict queue keys) and append-only persistence.
public struct RedisServerCheck: Sendable {
    private let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    /// One sentence per problem found; empty when the server is set up well.
    public func warnings() async -> [String] {
        do {
            var warnings: [String] = []
            let policy = try await setting("maxmemory-policy")
            if policy != "noeviction" {
                warnings.append(
                    "Redis maxmemory-policy is \"\(policy ?? "unknown")\", not noeviction: under memory pressure Redis may "
                        + "evict queued notifications")
            }
            if try await setting("appendonly") != "yes" {
                warnings.append(
                    "Redis append-only persistence (AOF) is off: notifications accepted since the last snapshot are lost "
                        + "if Redis restarts; set appendonly yes (appendfsync everysec or always)")
            }
            return warnings
        } catch {
            return ["cannot check the Redis server's settings (\(error)); it may be unreachable or CONFIG may be disabled"]
        }
    }

    private func setting(_ name: String) async throws -> String? {
        let reply = try await client.send(RESPCommand("CONFIG", "GET", name))
        guard let values = reply.array, values.count == 2 else { return nil }
        return values[1].string
    }
}
