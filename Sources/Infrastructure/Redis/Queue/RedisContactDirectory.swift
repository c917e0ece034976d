import HeraldApplication
package import HeraldDomain

/// The user service in Redis, shared by every process (`{p}:user:<id>`, a hash): `profile` (the profile's JSON
/// without its devices), `d:<token>` per device (`<seq> <platform>`, so devices keep their registration order),
/// `seq` and `devices` (how many). A device registered by the API, or removed by a worker in another process
/// because its provider called it gone, is seen by every process at once.
///
/// The `users` of `herald.json` seed it: a configured user absent from Redis is read from the configuration, and
/// the first change to it writes it to Redis first, so a change made at run time survives a restart and is never
/// overwritten by the file.
package final class RedisContactDirectory: EditableContactDirectory {
    /// Applies one change to a user hash atomically. ARGV: op (`put`, `add`, `remove`), the most devices, the
    /// profile JSON to write when the user is absent (or always, for `put`; empty: no seed), the number of devices
    /// that profile has, then token and platform of each, then the op's token and platform. Returns 0 for an
    /// unknown user, -1 when the user has the most devices already, 1 when applied.
    static let change = RedisScript(name: "user-change", source: """
        local key, op, max = KEYS[1], ARGV[1], tonumber(ARGV[2])
        local profile, count = ARGV[3], tonumber(ARGV[4])
        local exists = redis.call('HEXISTS', key, 'profile') == 1
        if op == 'put' or (not exists and profile ~= '') then
          redis.call('DEL', key)
          redis.call('HSET', key, 'profile', profile, 'seq', count, 'devices', count)
          for i = 1, count do
            redis.call('HSET', key, 'd:' .. ARGV[3 + 2 * i], i .. ' ' .. ARGV[4 + 2 * i])
          end
          exists = true
        end
        if not exists then return 0 end
        local token, platform = ARGV[5 + 2 * count], ARGV[6 + 2 * count]
        local field = 'd:' .. (token or '')
        if op == 'add' then
          local known = redis.call('HEXISTS', key, field) == 1
          if not known then
            if tonumber(redis.call('HGET', key, 'devices') or '0') >= max then return -1 end
            redis.call('HINCRBY', key, 'devices', 1)
          end
          local seq = redis.call('HINCRBY', key, 'seq', 1)
          redis.call('HSET', key, field, seq .. ' ' .. platform)
        elseif op == 'remove' then
          if redis.call('HDEL', key, field) == 1 then redis.call('HINCRBY', key, 'devices', -1) end
        end
        return 1
        """)

    private let client: RedisClient
    private let keys: RedisKeys
    private let seed: [UserID: UserProfile]
    private let codec = RedisCodec()

    /// - Parameter seed: the configured users, read when Redis does not hold them.
    package init(client: RedisClient, keyPrefix: String = "herald", seed: [UserProfile] = []) {
        self.client = client
        self.keys = RedisKeys(prefix: keyPrefix)
        self.seed = Dictionary(seed.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    private func key(_ id: UserID) -> String { keys.user(id.rawValue) }

    package func profile(for id: UserID) async throws -> UserProfile? {
        try await QueueUnavailable.translating {
            let reply = try await client.send(RESPCommand("HGETALL", key(id)))
            return try decode(reply, id: id) ?? seed[id]
        }
    }

    package func upsert(_ profile: UserProfile) async throws {
        _ = try await apply("put", to: profile.id, writing: profile)
    }

    package func addDevice(_ device: Device, to id: UserID) async throws -> UserProfile? {
        let result = try await apply("add", to: id, writing: seed[id], device.token, device.platform.rawValue)
        if result == -1 {
            throw HeraldError(
                .invalidValue, "user \"\(id)\" has \(AddressRules.maxDevicesPerUser) devices already, the most kept",
                field: "devices")
        }
        return result == 0 ? nil : try await profile(for: id)
    }

    package func removeDevice(token: String, from id: UserID) async throws -> UserProfile? {
        let result = try await apply("remove", to: id, writing: seed[id], token, "")
        return result == 0 ? nil : try await profile(for: id)
    }

    private func apply(_ op: String, to id: UserID, writing profile: UserProfile?, _ arguments: String...) async throws -> Int64 {
        try await QueueUnavailable.translating {
            var written: [String] = ["", "0"]
            if let profile {
                var bare = profile
                bare.contact.devices = []
                written = [try codec.encode(bare), String(profile.contact.devices.count)]
                for device in profile.contact.devices { written += [device.token, device.platform.rawValue] }
            }
            let reply = try await client.evaluate(
                Self.change, keys: [key(id)], arguments: [op, String(AddressRules.maxDevicesPerUser)] + written + arguments)
            guard let result = reply.integer else { throw RedisError(.unexpectedReply, "user-change returned \(reply)") }
            return result
        }
    }

    private func decode(_ reply: RESPValue, id: UserID) throws -> UserProfile? {
        let values = (reply.array ?? []).compactMap(\.string)
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: values.count - 1, by: 2) { fields[values[index]] = values[index + 1] }
        guard let profileText = fields["profile"] else { return nil }
        var profile = try codec.decode(UserProfile.self, from: profileText)
        let devices = fields.compactMap { field, value -> (Int, Device)? in
            guard field.hasPrefix("d:") else { return nil }
            let parts = value.split(separator: " ")
            guard parts.count == 2, let seq = Int(parts[0]), let platform = PushPlatform(rawValue: String(parts[1])) else {
                return nil
            }
            return (seq, Device(token: String(field.dropFirst(2)), platform: platform))
        }
        profile.contact.devices = devices.sorted { $0.0 < $1.0 }.map(\.1)
        return profile
    }
}
