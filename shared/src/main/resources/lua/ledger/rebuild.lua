-- rebuild.lua: restores one instance's admission state from the durable records after Redis lost the ledger
-- (see admission/common.lua, key 13). LedgerRebuilder calls it once per instance, the last call with final = '1',
-- which writes the ledger marker: until then every admission script answers 'lost', so nothing is decided on a
-- half-rebuilt ledger. Not prefixed with common.lua (that prelude refuses to run without the marker).
-- KEYS: 1-13 as in common.lua, for the instance being restored.
-- ARGV: 1 now (epoch ms)   2 instance id   3 capacity   4 generation id   5 final ('1'|'0')
--   6.. groups of 4: sessionId, characterId, userId, connectionId — one per live connection (the caller kept one
--   connection per character across all instances)
-- Returns { restored sessions, skipped (character already holds a session: never two) }
local K_SLOTS, K_SESSIONS, K_STATS, K_LOCKS, K_INDEX, K_LEDGER = KEYS[1], KEYS[2], KEYS[8], KEYS[10], KEYS[11], KEYS[13]
local now, iid, capacity, generation, final = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
redis.call('HSET', K_STATS, 'capacity', capacity)
local restored, skipped = 0, 0
for i = 6, #ARGV, 4 do
  local sid, cid, uid, conn = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('HEXISTS', K_LOCKS, cid) == 1 then
    skipped = skipped + 1
  else
    -- Active and slot-holding, as the live socket says. The reconnection token was in the lost cache: the next
    -- resume issues a new one.
    local s = { sid = sid, cid = cid, uid = uid, iid = iid, state = 'active', token = '', deadline = 0,
                createdAt = now, enqueuedAt = 0, conn = conn }
    redis.call('HSET', K_SESSIONS, sid, cjson.encode(s))
    redis.call('ZADD', K_SLOTS, '+inf', sid)
    redis.call('HSET', K_LOCKS, cid, iid .. '|' .. sid .. '|0')
    redis.call('HSET', K_INDEX, sid, iid)
    restored = restored + 1
  end
end
if final then
  redis.call('HSET', K_LEDGER, 'generation', generation, 'rebuiltAt', string.format('%d', now))
end
return { restored, skipped }
