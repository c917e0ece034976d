/// Checks at start-up that the Redis server is set up so accepted notifications survive:
/// version 6.2 or later, `maxmemory-policy noeviction` (Redis must never evict queue keys) and
/// append-only persistence.
package struct RedisServerCheck: Sendable {
    private let client: RedisClient

    package init(client: RedisClient) {
        self.client = client
    }

    /// One sentence per problem found; empty when the server is set up well.
    package func warnings() async -> [String] {
        do {
            var warnings: [String] = []
            if let version = try await serverVersion(), version.lexicographicallyPrecedes([6, 2]) {
                warnings.append(
                    "Redis \(version.map(String.init).joined(separator: ".")) is too old: Herald needs 6.2 or later "
                        + "(LMOVE/BLMOVE); every reservation will fail")
            }
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

    private func serverVersion() async throws -> [Int]? {
        guard let info = try await client.send(RESPCommand("INFO", "server")).string,
            let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("redis_version:") })
        else { return nil }
        return line.dropFirst("redis_version:".count).split(separator: ".").compactMap { Int($0) }
    }

    private func setting(_ name: String) async throws -> String? {
        let reply = try await client.send(RESPCommand("CONFIG", "GET", name))
        guard let values = reply.array, values.count == 2 else { return nil }
        return values[1].string
    }
}
