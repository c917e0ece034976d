/// The Lua scripts behind the Redis queue. Each queue transition is one script: atomic, one round trip.
///
/// Every time other processes compare (lease expiries, heartbeats, due times, dead-letter ages) is read
/// from Redis's own clock (`TIME`) inside the script; callers pass durations, never their clock's time.
/// A record is kept without expiry while any delivery is queued or retrying, and expires `retention` after
/// the change that finished it, so it always outlives its work.
enum RedisQueueScripts {
    /// The Lua shared by the scripts: Redis time in milliseconds, the record's expiry rule, and dead letters.
    /// Every script's last argument is empty, or (only in tests that move time by hand) the time in
    /// milliseconds to use instead of `TIME`; the prelude takes it off `ARGV`, so the scripts' own arguments
    /// are unchanged.
    private static let prelude = """
        local OVERRIDE = tonumber(table.remove(ARGV))
        local function now_ms()
          if OVERRIDE then return OVERRIDE end
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        -- A record written before it counted its open deliveries: kept while any is queued, scheduled, on standby or retrying.
        local function refresh_record(key, retention)
          local fields = redis.call('HGETALL', key)
          if #fields == 0 then return end
          for i = 1, #fields, 2 do
            if string.sub(fields[i], 1, 2) == 'd:' and (string.find(fields[i + 1], '"status":"queued"', 1, true)
                or string.find(fields[i + 1], '"status":"retrying"', 1, true)
                or string.find(fields[i + 1], '"status":"scheduled"', 1, true)
                or string.find(fields[i + 1], '"status":"standby"', 1, true)) then
              redis.call('PERSIST', key)
              return
            end
          end
          redis.call('PEXPIRE', key, retention)
        end
        local function is_open(delivery)
          if delivery and (string.find(delivery, '"status":"queued"', 1, true)
              or string.find(delivery, '"status":"retrying"', 1, true)
              or string.find(delivery, '"status":"scheduled"', 1, true)
              or string.find(delivery, '"status":"standby"', 1, true)) then return 1 end
          return 0
        end
        -- Writes a delivery's new state ('' for none) into its record, if the record still exists, and keeps
        -- the record while any delivery is open, or lets it expire `retention` after this change. The record's
        -- `open` field counts its queued, scheduled, standby and retrying deliveries, so this is O(1) whatever the record holds; a
        -- record has a TTL exactly when its count is 0, so one that stays open needs no PERSIST.
        local function record_delivery(key, field, delivery, retention)
          local stored = redis.call('HMGET', key, 'open', field)
          if not stored[1] then
            if delivery ~= '' and redis.call('EXISTS', key) == 1 then redis.call('HSET', key, field, delivery) end
            refresh_record(key, retention)
            return
          end
          local before = tonumber(stored[1])
          local open = before
          if delivery ~= '' then
            open = before + is_open(delivery) - is_open(stored[2])
            redis.call('HSET', key, field, delivery, 'open', open)
          end
          if open <= 0 then
            redis.call('PEXPIRE', key, retention)
          elseif before <= 0 then
            redis.call('PERSIST', key)
          end
        end
        local function delivery_key(id)
          if id.recipient then return id.channel .. '|' .. id.recipient end
          return id.channel
        end
        -- A dead letter's channel index (`<dead>:channel:<channel>`), or nil for an unreadable payload's letter.
        local function dead_channel_key(dead, member)
          if string.sub(member, 1, 11) == 'unreadable/' then return nil end
          local slash = string.find(member, '/', 1, true)
          if not slash then return nil end
          local key = string.sub(member, slash + 1)
          local bar = string.find(key, '|', 1, true)
          return dead .. ':channel:' .. (bar and string.sub(key, 1, bar - 1) or key)
        end
        -- Removes dead letters from the index, their channel indexes and the letters hash.
        local function unbury(dead, letters, members)
          local removed = 0
          for _, member in ipairs(members) do
            redis.call('ZREM', dead, member)
            local channel = dead_channel_key(dead, member)
            if channel then redis.call('ZREM', channel, member) end
            removed = removed + redis.call('HDEL', letters, member)
          end
          return removed
        end
        local function bury(dead, letters, member, letter, now, limit)
          local newest = redis.call('ZRANGE', dead, -1, -1, 'WITHSCORES')
          local score = now
          if newest[2] and tonumber(newest[2]) >= score then score = tonumber(newest[2]) + 1 end
          redis.call('ZADD', dead, score, member)
          local channel = dead_channel_key(dead, member)
          if channel then redis.call('ZADD', channel, score, member) end
          redis.call('HSET', letters, member, letter)
          -- At most 1000 at a time: a lowered limit is reached over a few calls, never by one long script.
          local excess = math.min(redis.call('ZCARD', dead) - limit, 1000)
          if excess > 0 then
            unbury(dead, letters, redis.call('ZRANGE', dead, 0, excess - 1))
          end
        end
        -- Moves a fallback chain on after the delivery `key` of `record` settled (see
        -- `NotificationRecord.advanceFallback`): a step with a delivery sent skips the later steps' standby
        -- deliveries; a step that ended with none sent and none open is marked fallen back and the next step's
        -- deliveries become queued, their units (kept in the record as `u:<key>`) pushed onto `ready`.
        local function advance_chain(record, key, ready, now, retention)
          local text = redis.call('HGET', record, 'steps')
          if not text then return end
          local steps = cjson.decode(text)
          local step = nil
          for i, keys in ipairs(steps) do
            for _, k in ipairs(keys) do if k == key then step = i end end
          end
          if not step then return end
          local sent, open = false, false
          for _, k in ipairs(steps[step]) do
            local stored = redis.call('HGET', record, 'd:' .. k)
            if stored then
              if string.find(stored, '"status":"sent"', 1, true) then sent = true end
              if is_open(stored) == 1 then open = true end
            end
          end
          if open or (not sent and step == #steps) then return end
          local function each_standby(first, last, change)
            for j = first, last do
              for _, k in ipairs(steps[j]) do
                local stored = redis.call('HGET', record, 'd:' .. k)
                if stored and string.find(stored, '"status":"standby"', 1, true) then
                  local delivery = cjson.decode(stored)
                  change(delivery, k)
                  delivery.updatedAt = now
                  record_delivery(record, 'd:' .. k, cjson.encode(delivery), retention)
                  redis.call('HDEL', record, 'u:' .. k)
                end
              end
            end
          end
          if sent then
            each_standby(step + 1, #steps, function(delivery)
              delivery.status = 'skipped'
              delivery.reason = 'an earlier fallback step was sent'
            end)
            return
          end
          for _, k in ipairs(steps[step]) do
            local stored = redis.call('HGET', record, 'd:' .. k)
            if stored and string.find(stored, '"status":"failed"', 1, true) then
              local delivery = cjson.decode(stored)
              delivery.fellBack = true
              redis.call('HSET', record, 'd:' .. k, cjson.encode(delivery))
            end
          end
          each_standby(step + 1, step + 1, function(delivery, k)
            delivery.status = 'queued'
            local payload = redis.call('HGET', record, 'u:' .. k)
            if payload then
              local unit = cjson.decode(payload)
              unit.readySince = now
              redis.call('LPUSH', ready, cjson.encode(unit))
            end
          end)
        end
        -- Counts one event of `field` (accepted, sent, retried, failed) in the minute of `now`, in the hash
        -- `{p}:throughput:<minute>` (the tag taken from any key of the queue), kept an hour: the dashboard's chart.
        local function count_throughput(any_key, field, now)
          local tag = string.match(any_key, '^{[^}]*}')
          if not tag then return end
          local key = tag .. ':throughput:' .. math.floor(now / 60000)
          redis.call('HINCRBY', key, field, 1)
          redis.call('PEXPIRE', key, 3600000)
        end
        local function is_suspect(payload)
          return string.find(payload, '"suspect":true', 1, true) ~= nil
        end
        local function unhold(isolation, worker, payload)
          if is_suspect(payload) then
            if redis.call('HINCRBY', isolation, worker, -1) <= 0 then redis.call('HDEL', isolation, worker) end
          end
        end

        """

    private static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: name, source: prelude + body)
    }

    /// Accepts a batch of notifications, each on its own: writes the record (with `open`, the count of its
    /// deliveries still to do), claims the idempotency key and pushes the units, unless the record already
    /// exists (a repeat of an accept whose reply was lost: `accepted`, nothing written twice) or Redis's clock is
    /// past that caller's deadline (`expired`, nothing written: a delayed command can never land after its caller
    /// answered "nothing accepted"). Two accepts of one batch with one idempotency key are a duplicate as if sent
    /// one after the other. A scheduled accept files its units in the scheduled set, due `delay` ms from Redis's
    /// now, where `reserve` promotes them like retries. A `dedupe_key` held by an earlier notification answers
    /// {`deduplicated`, its entry} and writes nothing (not even the idempotency key). KEYS: ready, scheduled, then an
    /// idempotency key, a record key and a dedupe key per accept. ARGV per accept: its argument count, then has-key
    /// ("1"/"0"), entry, key TTL ms, retention ms, delay ms (0: ready now), deadline (Redis ms), finished ("1"/"0"),
    /// has-dedupe ("1"/"0"), dedupe entry, dedupe window ms, field count n, n field/value pairs, the list score (the
    /// record's creation, ms), the notification id, the index count m, m list-index keys (each gets the record's id at that score and
    /// loses up to 4 of its entries older than the score minus the retention whose records are gone), then the unit payloads. Returns one reply per accept: `accepted`, `expired`, {`duplicate`, the existing entry} or
    /// {`deduplicated`, the first notification's entry}.
    static let accept = script("accept", """
        local now = now_ms()
        local replies = {}
        local at, index = 1, 0
        while at <= #ARGV do
          local count = tonumber(ARGV[at])
          local base = at
          index = index + 1
          at = at + 1 + count
          local idem, record, dedupe = KEYS[index * 3], KEYS[index * 3 + 1], KEYS[index * 3 + 2]
          if redis.call('EXISTS', record) == 1 then
            replies[index] = 'accepted'
          elseif now > tonumber(ARGV[base + 6]) then
            replies[index] = 'expired'
          else
            local existing, first = false, false
            if ARGV[base + 1] == '1' then existing = redis.call('GET', idem) end
            if not existing and ARGV[base + 8] == '1' then
              first = redis.call('GET', dedupe)
              -- The key's TTL ends the window; its entry's own end is checked too (it is what a test clock moves).
              if first and tonumber(cjson.decode(first).expiresAt) <= now then first = false end
            end
            if existing then
              replies[index] = {'duplicate', existing}
            elseif first then
              replies[index] = {'deduplicated', first}
            else
              if ARGV[base + 1] == '1' then redis.call('SET', idem, ARGV[base + 2], 'PX', ARGV[base + 3]) end
              if ARGV[base + 8] == '1' then redis.call('SET', dedupe, ARGV[base + 9], 'PX', ARGV[base + 10]) end
              local n = tonumber(ARGV[base + 11])
              local fields = {}
              for i = 1, n * 2 do fields[i] = ARGV[base + 11 + i] end
              redis.call('HSET', record, unpack(fields))
              if ARGV[base + 7] == '1' then redis.call('PEXPIRE', record, ARGV[base + 4]) end
              local at = base + 12 + n * 2
              local score, id, m = tonumber(ARGV[at]), ARGV[at + 1], tonumber(ARGV[at + 2])
              -- Entries older than the retention are dropped when their record is gone (a few per accept): a
              -- notification scheduled further ahead than the retention is still open, and stays listed. Past the
              -- longest any record can stay open (a year's schedule and then some) they go regardless.
              local retention = tonumber(ARGV[base + 4])
              local prefix = string.sub(record, 1, #record - #id)
              for i = at + 3, at + 2 + m do
                redis.call('ZADD', ARGV[i], score, id)
                redis.call('ZREMRANGEBYSCORE', ARGV[i], '-inf', '(' .. (score - retention - 400 * 86400000))
                -- From an offset that moves with the time, so open entries at the old end never hide those behind.
                local cutoff = '(' .. (score - retention)
                local old = redis.call('ZRANGEBYSCORE', ARGV[i], '-inf', cutoff, 'LIMIT', score % 32, 4)
                if #old == 0 then old = redis.call('ZRANGEBYSCORE', ARGV[i], '-inf', cutoff, 'LIMIT', 0, 4) end
                for _, gone in ipairs(old) do
                  if redis.call('EXISTS', prefix .. gone) == 0 then redis.call('ZREM', ARGV[i], gone) end
                end
              end
              local delay = tonumber(ARGV[base + 5])
              local units = {}
              for i = at + 3 + m, base + count do units[#units + 1] = ARGV[i] end
              if #units > 0 and delay > 0 then
                local due = now + delay
                for _, unit in ipairs(units) do redis.call('ZADD', KEYS[2], due, unit) end
              elseif #units > 0 then
                redis.call('LPUSH', KEYS[1], unpack(units))
              end
              count_throughput(KEYS[1], 'accepted', now)
              replies[index] = 'accepted'
            end
          end
        end
        return replies
        """)

    /// Promotes due retries, records the worker's lease, and moves up to `count` units into the worker's
    /// processing list (the head of the ready list first), with each unit's record. Suspects (units recovered
    /// from expired leases) come first, one at a time and only to a worker that holds nothing; a worker holding
    /// a suspect, or one that must empty to take a waiting suspect, gets nothing (`blocked`).
    /// KEYS: scheduled, ready, workers, processing, suspects, isolation, heartbeats. ARGV: worker, lease ms,
    /// record key prefix, count. Returns {payloads, their record hashes (false for a payload without a readable id),
    /// next due or false, Redis now, blocked (1/0)}.
    static let reserve = script("reserve", """
        local now = now_ms()
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1000)
        for i = 1, #due, 2 do
          local ok, unit = pcall(cjson.decode, due[i])
          if not ok or type(unit) ~= 'table' then
            redis.call('LPUSH', KEYS[2], due[i])
          else
            unit.readySince = tonumber(due[i + 1])
            if unit.suspect then
              redis.call('LPUSH', KEYS[5], cjson.encode(unit))
            else
              redis.call('LPUSH', KEYS[2], cjson.encode(unit))
            end
          end
          redis.call('ZREM', KEYS[1], due[i])
        end
        redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
        redis.call('HSET', KEYS[7], ARGV[1], now)
        local payloads = {}
        local blocked = 0
        if redis.call('HEXISTS', KEYS[6], ARGV[1]) == 1 then
          blocked = 1
        elseif redis.call('LLEN', KEYS[5]) > 0 then
          if redis.call('LLEN', KEYS[4]) == 0 then
            payloads[1] = redis.call('LMOVE', KEYS[5], KEYS[4], 'RIGHT', 'LEFT')
            redis.call('HINCRBY', KEYS[6], ARGV[1], 1)
          else
            blocked = 1
          end
        else
          for i = 1, tonumber(ARGV[4]) do
            local payload = redis.call('LMOVE', KEYS[2], KEYS[4], 'RIGHT', 'LEFT')
            if not payload then break end
            payloads[i] = payload
          end
        end
        local records = {}
        for i, payload in ipairs(payloads) do
          records[i] = false
          local ok, unit = pcall(cjson.decode, payload)
          if ok and type(unit) == 'table' and type(unit.id) == 'table' and type(unit.id.notificationID) == 'string' then
            records[i] = redis.call('HGETALL', ARGV[3] .. unit.id.notificationID)
          end
        end
        local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {payloads, records, nextDue[2] or false, now, blocked}
        """)

    /// Keeps a unit `BLMOVE` moved into a worker's list only if the worker took no suspect meanwhile (another of
    /// its loops may have); otherwise gives it back to the head of the ready list. KEYS: processing, isolation,
    /// ready. ARGV: worker, payload. Returns 1 when the unit is the worker's.
    static let claimMoved = script("claim-moved", """
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
          if redis.call('LREM', KEYS[1], 1, ARGV[2]) == 1 then redis.call('RPUSH', KEYS[3], ARGV[2]) end
          return 0
        end
        return 1
        """)

    /// Extends the worker's lease: its heartbeat, whose time `{p}:heartbeats` keeps. KEYS: workers, heartbeats.
    /// ARGV: worker, lease ms.
    static let heartbeat = script("heartbeat", """
        local now = now_ms()
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], now)
        return 1
        """)

    /// Settles a batch of reservations, each on its own: removes the unit from its worker's list and, only if
    /// it was there, records the delivery and then acknowledges it (`a`), schedules it for a retry due `delay`
    /// ms from Redis's now (`r`; on a record marked `canceled` the delivery ends canceled instead), or dead-letters it, trimming the dead letters to their limit (`d`).
    /// An acknowledged or dead-lettered delivery of a fallback chain moves the chain on (`advance_chain`).
    /// KEYS: isolation, scheduled, dead index, dead letters, ready, then a processing and a record key per settle.
    /// ARGV: retention ms, dead-letter limit, then per settle: kind, token, delivery field, delivery JSON ("" for
    /// none), worker, and for `r` the delay ms and new payload, for `d` the dead-letter member and letter ("" "" for
    /// `a`). Returns 1 or 0 per settle: whether the worker still held the unit.
    static let settle = script("settle", """
        local retention, limit = ARGV[1], tonumber(ARGV[2])
        local results = {}
        for index = 1, (#ARGV - 2) / 7 do
          local at = 2 + (index - 1) * 7
          local kind, token, field, delivery, worker = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5]
          local processing, record = KEYS[4 + index * 2], KEYS[5 + index * 2]
          if redis.call('LREM', processing, 1, token) == 0 then
            results[index] = 0
          else
            unhold(KEYS[1], worker, token)
            -- A notification canceled while this delivery was in flight gets no retry: it ends canceled.
            local canceled = kind == 'r' and redis.call('HEXISTS', record, 'canceled') == 1
            if canceled then
              delivery = string.gsub(delivery, '"status":"retrying"', '"status":"canceled"', 1)
            end
            record_delivery(record, field, delivery, retention)
            if kind ~= 'r' then advance_chain(record, string.sub(field, 3), KEYS[5], now_ms(), retention) end
            if kind == 'r' and not canceled then
              redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[at + 6]), ARGV[at + 7])
              count_throughput(KEYS[2], 'retried', now_ms())
            elseif kind == 'd' then
              bury(KEYS[3], KEYS[4], ARGV[at + 6], ARGV[at + 7], now_ms(), limit)
              count_throughput(KEYS[2], 'failed', now_ms())
            elseif kind == 'a' and string.find(delivery, '"status":"sent"', 1, true) then
              count_throughput(KEYS[2], 'sent', now_ms())
            end
            results[index] = 1
          end
        end
        return results
        """)

    /// Moves a payload that cannot be decoded out of the worker's list into the dead letters, kept raw.
    /// KEYS: processing, isolation, dead index, dead letters. ARGV: worker, payload, reason, limit.
    static let buryUnreadable = script("bury-unreadable", """
        if redis.call('LREM', KEYS[1], 1, ARGV[2]) == 0 then return 0 end
        unhold(KEYS[2], ARGV[1], ARGV[2])
        local now = now_ms()
        local letter = cjson.encode({raw = ARGV[2], reason = ARGV[3], deadAt = now})
        bury(KEYS[3], KEYS[4], 'unreadable/' .. redis.sha1hex(ARGV[2]), letter, now, tonumber(ARGV[4]))
        return 1
        """)

    /// Returns the named units of one worker to the head of their lists (suspects to the suspects).
    /// KEYS: processing, ready, suspects, isolation. ARGV: worker, then tokens. Returns how many were released.
    static let release = script("release", """
        local released = 0
        for i = 2, #ARGV do
          if redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1 then
            unhold(KEYS[4], ARGV[1], ARGV[i])
            if is_suspect(ARGV[i]) then redis.call('RPUSH', KEYS[3], ARGV[i]) else redis.call('RPUSH', KEYS[2], ARGV[i]) end
            released = released + 1
          end
        end
        return released
        """)

    /// Returns the units of workers whose heartbeat expired as suspects, dead-letters units recovered too
    /// often, and prunes old dead letters. A unit's recovery count grows only when it was its worker's only
    /// unit, or was already a suspect (which should have been alone): units held beside a crashing one are
    /// never blamed for it. KEYS: workers, suspects, dead index, dead letters, isolation, ready, heartbeats.
    /// ARGV: max recoveries, dead limit, dead max age ms, processing key prefix, record key prefix, retention ms.
    /// Returns {recovered, dead-lettered}.
    static let recover = script("recover", """
        local now = now_ms()
        local cutoff = now - tonumber(ARGV[3])
        unbury(KEYS[3], KEYS[4], redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. cutoff, 'LIMIT', 0, 1000))
        local recovered, buried = 0, 0
        for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
          local list = ARGV[4] .. worker
          local alone = redis.call('LLEN', list) == 1
          while true do
            local payload = redis.call('RPOP', list)
            if not payload then break end
            local ok, unit = pcall(cjson.decode, payload)
            if not ok or type(unit) ~= 'table' or type(unit.id) ~= 'table' then
              -- Unreadable: back to the ready list as it is, where the next reserve dead-letters it.
              redis.call('RPUSH', KEYS[6], payload)
            else
              if alone or unit.suspect then unit.recoveries = (unit.recoveries or 0) + 1 end
              unit.suspect = true
              if unit.recoveries > tonumber(ARGV[1]) then
                local reason = 'poison pill: its lease expired ' .. unit.recoveries .. ' times (workers crashed or hung)'
                local record = ARGV[5] .. unit.id.notificationID
                local key = delivery_key(unit.id)
                local field = 'd:' .. key
                local stored = redis.call('HGET', record, field)
                if stored then
                  local delivery = cjson.decode(stored)
                  delivery.status = 'failed'
                  delivery.lastError = reason
                  delivery.updatedAt = now
                  record_delivery(record, field, cjson.encode(delivery), ARGV[6])
                  advance_chain(record, key, KEYS[6], now, ARGV[6])
                end
                local letter = cjson.encode({unit = unit, reason = reason, deadAt = now})
                bury(KEYS[3], KEYS[4], unit.id.notificationID .. '/' .. key, letter, now, tonumber(ARGV[2]))
                buried = buried + 1
              else
                unit.readySince = now
                redis.call('RPUSH', KEYS[2], cjson.encode(unit))
                recovered = recovered + 1
              end
            end
          end
          redis.call('ZREM', KEYS[1], worker)
          redis.call('HDEL', KEYS[5], worker)
          redis.call('HDEL', KEYS[7], worker)
        end
        return {recovered, buried}
        """)

    /// Marks failed deliveries `queued` again, pushes fresh units and removes their dead letters: O(deliveries
    /// named). KEYS: record, ready, dead index, dead letters. ARGV: now ms (for the record), then
    /// delivery-key/dead-letter-member/fresh-payload triples. Returns the requeued delivery keys.
    static let requeue = script("requeue", """
        local requeued = {}
        for i = 2, #ARGV, 3 do
          local field = 'd:' .. ARGV[i]
          local stored = redis.call('HGET', KEYS[1], field)
          if stored then
            local delivery = cjson.decode(stored)
            if delivery.status == 'failed' then
              delivery.status = 'queued'
              delivery.fellBack = nil
              delivery.updatedAt = tonumber(ARGV[1])
              redis.call('HSET', KEYS[1], field, cjson.encode(delivery))
              if redis.call('HEXISTS', KEYS[1], 'open') == 1 then redis.call('HINCRBY', KEYS[1], 'open', 1) end
              redis.call('LPUSH', KEYS[2], ARGV[i + 2])
              unbury(KEYS[3], KEYS[4], {ARGV[i + 1]})
              requeued[#requeued + 1] = ARGV[i]
            end
          end
        end
        if #requeued > 0 then
          redis.call('PERSIST', KEYS[1])
          redis.call('HDEL', KEYS[1], 'canceled')
        end
        return requeued
        """)

    /// Counts for ``QueueInspection/depth()``. KEYS: ready, workers, scheduled, dead index, suspects.
    /// ARGV: processing prefix. Returns {ready, in flight, scheduled, dead, head-of-ready payload or false,
    /// next due or false, Redis now, head-of-suspects payload or false}.
    static let depth = script("depth", """
        local inflight = 0
        for _, worker in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          inflight = inflight + redis.call('LLEN', ARGV[1] .. worker)
        end
        local nextDue = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
        return {redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[5]), inflight, redis.call('ZCARD', KEYS[3]),
                redis.call('ZCARD', KEYS[4]), redis.call('LINDEX', KEYS[1], -1) or false, nextDue[2] or false, now_ms(),
                redis.call('LINDEX', KEYS[5], -1) or false}
        """)

    /// Cancels the open deliveries of one record: each `d:` field whose value is still the one the caller read
    /// (a compare-and-set, so a delivery settled meanwhile keeps what it became) takes its canceled form, the
    /// record is marked `canceled` (a retry settled later ends canceled too) and `open` drops accordingly.
    /// A canceled digest gives up its claim (KEYS[2], when it still names this notification).
    /// KEYS: record, digest claim. ARGV: retention ms, canceled-at ms, the notification id, then field, value read,
    /// canceled value triples. Returns how many deliveries it canceled, or -1 when the record does not exist.
    static let cancel = script("cancel", """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local canceled = 0
        for i = 4, #ARGV, 3 do
          if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
            record_delivery(KEYS[1], ARGV[i], ARGV[i + 2], ARGV[1])
            canceled = canceled + 1
          end
        end
        if canceled > 0 then
          redis.call('HSET', KEYS[1], 'canceled', ARGV[2])
          local claim = redis.call('GET', KEYS[2])
          if claim and cjson.decode(claim).notificationID == ARGV[3] then redis.call('DEL', KEYS[2]) end
        end
        return canceled
        """)

    /// Stores a digest's new message and contents if it still holds the expected count and still collects: it exists,
    /// is not canceled, is not yet due (Redis's clock, the one `reserve` promotes it by), and claims the idempotency
    /// key with it. KEYS: record, idempotency key. ARGV: expected count, meta JSON, contents JSON, has-key ("1"/"0"),
    /// entry, key TTL ms, due ms. Returns 1 (stored), 0 (closed), -1 (changed) or {`duplicate`, the entry}.
    static let appendToDigest = script("digest-append", """
        local stored = redis.call('HGET', KEYS[1], 'digest')
        if not stored or redis.call('HEXISTS', KEYS[1], 'canceled') == 1 then return 0 end
        if now_ms() >= tonumber(ARGV[7]) then return 0 end
        if ARGV[4] == '1' then
          local existing = redis.call('GET', KEYS[2])
          if existing then return {'duplicate', existing} end
        end
        if tonumber(cjson.decode(stored).count) ~= tonumber(ARGV[1]) then return -1 end
        redis.call('HSET', KEYS[1], 'meta', ARGV[2], 'digest', ARGV[3])
        if ARGV[4] == '1' then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6]) end
        count_throughput(KEYS[1], 'accepted', now_ms())
        return 1
        """)

    /// Removes dead letters by member. KEYS: dead index, dead letters. ARGV: members. Returns how many existed.
    static let removeDeadLetters = script("dead-remove", """
        return unbury(KEYS[1], KEYS[2], ARGV)
        """)

    /// A snapshot for operators: per channel the ready (and suspect), scheduled and in-flight units and the oldest
    /// ready unit, reading at most `cap` units of each structure from its oldest end; the dead letters per channel
    /// from their indexes; the live workers with their last heartbeat and in-flight count. Channels are read from
    /// the payloads' `"channel":"…"` member (channel names are plain: letters, digits, `_.-`).
    /// KEYS: ready, suspects, scheduled, workers, heartbeats. ARGV: processing prefix, cap, dead-channel prefix,
    /// then the configured channel names. Returns {complete (1/0), now, {channel, ready, scheduled, in flight, dead,
    /// oldest ready or -1, ...}, {worker, last heartbeat or -1, in flight, ...}}.
    static let statistics = script("statistics", """
        local now, cap = now_ms(), tonumber(ARGV[2])
        local complete = 1
        local stats, order = {}, {}
        local function stat(channel)
          if not stats[channel] then
            stats[channel] = {0, 0, 0, 0, -1}
            order[#order + 1] = channel
          end
          return stats[channel]
        end
        for i = 4, #ARGV do stat(ARGV[i]) end
        local function count(payloads, slot, oldest)
          for _, payload in ipairs(payloads) do
            local channel = string.match(payload, '"channel":"([^"]*)"')
            if channel then
              local s = stat(channel)
              s[slot] = s[slot] + 1
              if oldest then
                local since = tonumber(string.match(payload, '"readySince":([%d%.e%+]+)'))
                if since and (s[5] < 0 or since < s[5]) then s[5] = since end
              end
            end
          end
        end
        for _, list in ipairs({KEYS[1], KEYS[2]}) do
          local n = redis.call('LLEN', list)
          if n > cap then complete = 0 end
          -- (Redis refuses "-0" as an index: an empty list is not read.)
          if n > 0 then count(redis.call('LRANGE', list, -math.min(n, cap), -1), 1, true) end
        end
        if redis.call('ZCARD', KEYS[3]) > cap then complete = 0 end
        count(redis.call('ZRANGE', KEYS[3], 0, cap - 1), 2, false)
        local workers = {}
        for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. now, '+inf')) do
          local list = ARGV[1] .. worker
          local n = redis.call('LLEN', list)
          if n > cap then complete = 0 end
          count(redis.call('LRANGE', list, 0, cap - 1), 3, false)
          local beat = redis.call('HGET', KEYS[5], worker)
          workers[#workers + 1] = worker
          workers[#workers + 1] = beat or -1
          workers[#workers + 1] = n
        end
        local flat = {}
        for _, channel in ipairs(order) do
          local s = stats[channel]
          s[4] = redis.call('ZCARD', ARGV[3] .. channel)
          for _, value in ipairs({channel, s[1], s[2], s[3], s[4], s[5]}) do flat[#flat + 1] = value end
        end
        return {complete, now, flat, workers}
        """)

    /// The last `minutes` minutes of throughput, oldest first. KEYS: any key of the queue (for its tag). ARGV:
    /// minutes. Returns {now, {minute, accepted, sent, retried, failed, ...}}.
    static let throughput = script("throughput", """
        local now = now_ms()
        local tag = string.match(KEYS[1], '^{[^}]*}')
        local current = math.floor(now / 60000)
        local rows = {}
        for minute = current - tonumber(ARGV[1]) + 1, current do
          local counts = redis.call('HMGET', tag .. ':throughput:' .. minute, 'accepted', 'sent', 'retried', 'failed')
          rows[#rows + 1] = minute
          for i = 1, 4 do rows[#rows + 1] = tonumber(counts[i] or '0') end
        end
        return {now, rows}
        """)
}
