/// The Lua scripts behind the Redis queue. Each queue transition is one script: atomic, one round trip.
/// Times are milliseconds since 1970 from the caller's clock, so every process must keep its clock
/// in sync (NTP), as with any lease-based queue.
enum RedisQueueScripts {
    /// Claims the idempotency key, writes the record and pushes the units.
    /// KEYS: idempotency key, record, ready. ARGV: has-key ("1"/"0"), entry, key TTL ms, retention ms,
    /// field count n, n field/value pairs, then the unit payloads.
    static let accept = RedisScript(name: "accept", source: """
        if ARGV[1] == '1' then
          local existing = redis.call('GET', KEYS[1])
          if existing then return {'duplicate', existing} end
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        end
        local n = tonumber(ARGV[5])
        local fields = {}
        for i = 1, n * 2 do fields[i] = ARGV[5 + i] end
        redis.call('HSET', KEYS[2], unpack(fields))
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        for i = 6 + n * 2, #ARGV do redis.call('LPUSH', KEYS[3], ARGV[i]) end
        return 'accepted'
        """)

    /// Promotes due retries to the ready list, records the worker's heartbeat, and moves the head of the
    /// ready list into the worker's processing list: a reservation in one round trip when work is ready.
    /// KEYS: scheduled, ready, workers, processing. ARGV: now, worker, lease expiry, record key prefix.
    /// Returns {payload or nil, next due time or nil, the unit's record hash (HGETALL) or nil}: the worker
    /// gets its unit and its notification in one round trip.
    static let reserve = RedisScript(name: "reserve", source: """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, 1000)
        for i = 1, #due, 2 do
          local unit = cjson.decode(due[i])
          unit.readySince = tonumber(due[i + 1])
          redis.call('LPUSH', KEYS[2], cjson.encode(unit))
          redis.call('ZREM', KEYS[1], due[i])
        end
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
        local payload = redis.call('LMOVE', KEYS[2], KEYS[4], 'RIGHT', 'LEFT')
        local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local record = false
        if payload then
          record = redis.call('HGETALL', ARGV[4] .. cjson.decode(payload).id.notificationID)
        end
        return {payload or false, nextDue[2] or false, record}
        """)

    /// Removes a reserved unit from the worker's list and, only if it was there, records the delivery.
    /// KEYS: processing, record. ARGV: token, delivery field, delivery JSON ("" for none).
    static let acknowledge = RedisScript(name: "acknowledge", source: """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
        if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
        return 1
        """)

    /// Moves a reserved unit to the retry schedule and records the delivery.
    /// KEYS: processing, record, scheduled. ARGV: token, delivery field, delivery JSON, due ms, new payload.
    static let scheduleRetry = RedisScript(name: "schedule-retry", source: """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
        if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
        return 1
        """)

    /// Moves a reserved unit to the dead-letter list (trimmed to its limit) and records the delivery.
    /// KEYS: processing, record, dead. ARGV: token, delivery field, delivery JSON ("" for none), entry, limit.
    static let deadLetter = RedisScript(name: "dead-letter", source: """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
        if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
        redis.call('LPUSH', KEYS[3], ARGV[4])
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[5]) - 1)
        return 1
        """)

    /// Returns a reserved unit to the head of the ready list. KEYS: processing, ready. ARGV: token.
    static let release = RedisScript(name: "release", source: """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
        redis.call('RPUSH', KEYS[2], ARGV[1])
        return 1
        """)

    /// Returns the named units of one worker to the head of the ready list. KEYS: processing, ready.
    /// ARGV: tokens. Returns how many were still held and released.
    static let releaseMany = RedisScript(name: "release-many", source: """
        local released = 0
        for i = 1, #ARGV do
          if redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1 then
            redis.call('RPUSH', KEYS[2], ARGV[i])
            released = released + 1
          end
        end
        return released
        """)

    /// Returns the units of workers whose heartbeat expired to the head of the ready list, dead-letters
    /// units recovered too often, and prunes old dead letters.
    /// KEYS: workers, ready, dead. ARGV: now, max recoveries, dead limit, dead cutoff ms,
    /// processing key prefix, record key prefix. Returns {recovered, dead-lettered}.
    static let recover = RedisScript(name: "recover", source: """
        local now = tonumber(ARGV[1])
        while true do
          local oldest = redis.call('LINDEX', KEYS[3], -1)
          if not oldest or cjson.decode(oldest).deadAt >= tonumber(ARGV[4]) then break end
          redis.call('RPOP', KEYS[3])
        end
        local recovered, buried = 0, 0
        for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
          local list = ARGV[5] .. worker
          while true do
            local payload = redis.call('RPOP', list)
            if not payload then break end
            local unit = cjson.decode(payload)
            unit.recoveries = unit.recoveries + 1
            if unit.recoveries > tonumber(ARGV[2]) then
              local reason = 'poison pill: its lease expired ' .. unit.recoveries .. ' times (workers crashed or hung)'
              local record = ARGV[6] .. unit.id.notificationID
              local field = 'd:' .. unit.id.channel
              local stored = redis.call('HGET', record, field)
              if stored then
                local delivery = cjson.decode(stored)
                delivery.status = 'failed'
                delivery.lastError = reason
                delivery.updatedAt = now
                redis.call('HSET', record, field, cjson.encode(delivery))
              end
              redis.call('LPUSH', KEYS[3], cjson.encode({unit = unit, reason = reason, deadAt = now}))
              buried = buried + 1
            else
              unit.readySince = now
              redis.call('RPUSH', KEYS[2], cjson.encode(unit))
              recovered = recovered + 1
            end
          end
          redis.call('ZREM', KEYS[1], worker)
        end
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
        return {recovered, buried}
        """)

    /// Marks failed deliveries `queued` again, pushes fresh units and removes their dead letters.
    /// KEYS: record, ready, dead. ARGV: now, then channel/fresh-payload pairs. Returns the requeued channels.
    static let requeue = RedisScript(name: "requeue", source: """
        local requeued = {}
        for i = 2, #ARGV, 2 do
          local channel = ARGV[i]
          local field = 'd:' .. channel
          local stored = redis.call('HGET', KEYS[1], field)
          if stored then
            local delivery = cjson.decode(stored)
            if delivery.status == 'failed' then
              delivery.status = 'queued'
              delivery.updatedAt = tonumber(ARGV[1])
              redis.call('HSET', KEYS[1], field, cjson.encode(delivery))
              redis.call('LPUSH', KEYS[2], ARGV[i + 1])
              requeued[#requeued + 1] = channel
              local id = cjson.decode(ARGV[i + 1]).id.notificationID
              for _, entry in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
                local letter = cjson.decode(entry)
                if letter.unit.id.notificationID == id and letter.unit.id.channel == channel then
                  redis.call('LREM', KEYS[3], 1, entry)
                end
              end
            end
          end
        end
        return requeued
        """)

    /// Counts for ``DeliveryQueue/depth()``. KEYS: ready, workers, scheduled, dead. ARGV: processing prefix.
    /// Returns {ready, in flight, scheduled, dead, head-of-ready payload or nil, next due or nil}.
    static let depth = RedisScript(name: "depth", source: """
        local inflight = 0
        for _, worker in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          inflight = inflight + redis.call('LLEN', ARGV[1] .. worker)
        end
        local nextDue = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
        return {redis.call('LLEN', KEYS[1]), inflight, redis.call('ZCARD', KEYS[3]), redis.call('LLEN', KEYS[4]),
                redis.call('LINDEX', KEYS[1], -1) or false, nextDue[2] or false}
        """)
}
