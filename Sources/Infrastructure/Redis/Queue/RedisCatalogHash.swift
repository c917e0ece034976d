import Foundation
import HeraldApplication
import HeraldDomain
import Synchronization

/// One hash of named JSON entries shared by every process (`{p}:topics`, `{p}:templates`), seeded from the
/// configuration: an entry of the file is written once, the first time any process starts with it (its name is
/// then in `{p}:<kind>:seeded`), so a change or a deletion made at run time survives restarts and is never undone
/// by the file, while an entry added to the file later still arrives.
final class RedisCatalogHash: Sendable {
    /// KEYS: hash, seeded set. ARGV: name/JSON pairs. Writes the entries whose names were never seeded.
    static let seedScript = RedisScript(name: "catalog-seed", source: """
        for i = 1, #ARGV, 2 do
          if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        end
        return 1
        """)

    private let client: RedisClient
    private let hash: String
    private let seededSet: String
    private let seed: [String]
    private let isSeeded = Atomic(false)

    init(client: RedisClient, hash: String, seededSet: String, seed: [(name: String, json: String)]) {
        self.client = client
        self.hash = hash
        self.seededSet = seededSet
        self.seed = seed.sorted { $0.name < $1.name }.flatMap { [$0.name, $0.json] }
    }

    func entry(_ name: String) async throws -> String? {
        try await translating {
            try await seedOnce()
            if let text = try await client.send(RESPCommand("HGET", hash, name)).string { return text }
            // A miss on a Redis that lost its data (restarted without persistence, flushed) seeds it again.
            guard try await reseedIfLost() else { return nil }
            return try await client.send(RESPCommand("HGET", hash, name)).string
        }
    }

    func entries() async throws -> [String: String] {
        try await translating {
            try await seedOnce()
            _ = try await reseedIfLost()
            let values = (try await client.send(RESPCommand("HGETALL", hash)).array ?? []).compactMap(\.string)
            var entries: [String: String] = [:]
            for index in stride(from: 0, to: values.count - 1, by: 2) { entries[values[index]] = values[index + 1] }
            return entries
        }
    }

    func set(_ name: String, json: String) async throws {
        try await translating {
            try await seedOnce()
            _ = try await client.send(RESPCommand("HSET", hash, name, json))
        }
    }

    func remove(_ name: String) async throws -> Bool {
        try await translating {
            try await seedOnce()
            return try await client.integer(RESPCommand("HDEL", hash, name)) == 1
        }
    }

    /// Seeds before this process's first use; repeating it is harmless, so concurrent first uses need no lock.
    private func seedOnce() async throws {
        guard !isSeeded.load(ordering: .acquiring) else { return }
        if !seed.isEmpty {
            _ = try await client.evaluate(Self.seedScript, keys: [hash, seededSet], arguments: seed)
        }
        isSeeded.store(true, ordering: .releasing)
    }

    /// Seeds again when the seeded set is gone (Redis lost its data); returns whether it did.
    private func reseedIfLost() async throws -> Bool {
        guard !seed.isEmpty, try await client.integer(RESPCommand("EXISTS", seededSet)) == 0 else { return false }
        _ = try await client.evaluate(Self.seedScript, keys: [hash, seededSet], arguments: seed)
        return true
    }

    private func translating<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await QueueUnavailable.translating(body)
    }
}

/// Decodes an entry written by this hash's owner; a stored entry that no longer decodes is reported, not hidden.
func decodeStoredJSON<T>(_ text: String, what: String, _ decode: (JSONValue) throws(HeraldError) -> T) throws -> T {
    do {
        return try decode(try JSONValue.parse(Data(text.utf8)))
    } catch {
        throw RedisError(.unexpectedReply, "a stored \(what) does not decode: \(error)")
    }
}
