-- common.lua: prelude shared by admit.lua, release.lua, session.lua and status.lua. RedisAdmissionLedger prepends
-- it to each script before SCRIPT LOAD, so every script sees the same lazy expiry and promotion rules.
--
-- KEYS (identical for the four scripts; names come from io.tilemud.admission.AdmissionKeys):
--   1 slots      tm:{iid}:slots       ZSET sessionId -> slot deadline (epoch ms; +inf while active)
--   2 sessions   tm:{iid}:sessions    HASH sessionId -> JSON {sid,cid,uid,iid,state,token,deadline,createdAt,enqueuedAt}
--   3 queue      tm:{iid}:queue       ZSET characterId -> ticket from queue-seq (FIFO, never wall time)
--   4 seq        tm:{iid}:queue-seq   STRING INCR counter for queue tickets
--   5 queued     tm:{iid}:queued      HASH characterId -> JSON {uid, at}
--   6 polls      tm:{iid}:polls       ZSET characterId -> last poll (epoch ms), for abandonment (ADM-23)
--   7 replace    tm:{iid}:replace     HASH characterId -> JSON {token, sid, exp} (one outstanding replace token)
--   8 stats      tm:{iid}:stats       HASH peak -> highest queue depth seen, capacity -> last known capacity
--   9 promotions tm:{iid}:promotions  ZSET sessionId -> promotion time (epoch ms), last 10 min: the ETA's rate
--  10 locks      tm:char-locks       HASH characterId -> "iid|sid|deadline" (deadline 0 = active): ADM-08
--  11 index      tm:session-instance HASH sessionId -> iid
--  12 selection  tm:active-character HASH userId -> characterId (write-through of the selection, ADM-14)
--  13 ledger     tm:ledger            HASH generation -> id, rebuiltAt -> epoch ms: proof this Redis holds the ledger
--
-- Key 13 is written only by rebuild.lua, after it restored every live session from the durable connection registry
-- (io.tilemud.admission.LedgerRebuilder). A Redis that lost it (failover to an empty node, a flush, a replacement)
-- answers { { 'lost' }, {} } to every admission script before anything is read or written: no slot, lock or queue
-- decision is ever taken on a ledger that forgot who is playing (ADM-08 and capacity survive losing the cache).
--
-- Keys 1-9 carry the hash tag {iid}: one instance's state lives in one Cluster slot. Keys 10-13 are global because
-- "one session per character across all instances" is a cross-instance fact. Every key a script touches is passed
-- in KEYS (dynamic parts live in hash fields, not key names), so the scripts are correct on a single-shard
-- deployment (ElastiCache replication group, our target). On Redis Cluster keys 10-13 would hash to other slots and
-- EVALSHA would fail with CROSSSLOT: a Cluster deployment must give all admission keys one common tag.
--
-- ARGV (common prefix):
--   1 now (epoch ms, from the application's injected Clock: grace/pending expiry is decided with the caller's time)
--   2 instance id   3 capacity (-1 = the last one stored in stats)   4 pending ms (ADM-17)   5 abandon ms (ADM-23)   6 session id prefix (random, per call)
--
-- Return shape of every script: { result, events } where result is a script-specific array of strings and events
-- is an array of { kind, characterId, sessionId, userId, detail } for the caller to log and count:
--   expired (detail = state that expired), abandoned, promoted (detail = queue wait ms), skipped (head dropped
--   because the character is busy elsewhere or no longer selected), released (detail = reason), replaced.

local K_SLOTS, K_SESSIONS, K_QUEUE, K_SEQ, K_QUEUED, K_POLLS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local K_REPLACE, K_STATS, K_PROMOTIONS, K_LOCKS, K_INDEX, K_SELECTION = KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local K_LEDGER = KEYS[13]

if redis.call('EXISTS', K_LEDGER) == 0 then
  return { { 'lost' }, {} }
end

local NOW = tonumber(ARGV[1])
local IID = ARGV[2]
local CAPACITY = tonumber(ARGV[3])
if CAPACITY < 0 then
  -- Callers without the instance row at hand (session transitions) use the capacity the last admission or janitor
  -- run passed; those refresh it from PostgreSQL.
  CAPACITY = tonumber(redis.call('HGET', K_STATS, 'capacity') or '0')
else
  redis.call('HSET', K_STATS, 'capacity', CAPACITY)
end
local PENDING_MS = tonumber(ARGV[4])
local ABANDON_MS = tonumber(ARGV[5])
local SID_PREFIX = ARGV[6]
local ETA_WINDOW_MS = 600000

local events = {}
local sidCounter = 0

local function event(kind, cid, sid, uid, detail)
  events[#events + 1] = { kind, cid or '', sid or '', uid or '', tostring(detail or '') }
end

local function newSid()
  sidCounter = sidCounter + 1
  return SID_PREFIX .. '-' .. sidCounter
end

local function lockValue(sid, deadline)
  return IID .. '|' .. sid .. '|' .. string.format('%d', deadline)
end

local function parseLock(v)
  local iid, sid, deadline = string.match(v, '^(.*)|(.*)|(%d+)$')
  return iid, sid, tonumber(deadline)
end

local function lockIsLive(v)
  local _, _, deadline = parseLock(v)
  return deadline == 0 or deadline > NOW
end

local function loadSession(sid)
  local raw = redis.call('HGET', K_SESSIONS, sid)
  if raw then return cjson.decode(raw) end
  return nil
end

-- Writes a session and its slot, lock and index entries; deadline 0 means "no expiry" (active).
local function saveSession(s)
  redis.call('HSET', K_SESSIONS, s.sid, cjson.encode(s))
  if s.deadline == 0 then
    redis.call('ZADD', K_SLOTS, '+inf', s.sid)
  else
    redis.call('ZADD', K_SLOTS, string.format('%d', s.deadline), s.sid)
  end
  redis.call('HSET', K_LOCKS, s.cid, lockValue(s.sid, s.deadline))
  redis.call('HSET', K_INDEX, s.sid, IID)
end

local function newSession(cid, uid, token, enqueuedAt)
  local s = { sid = newSid(), cid = cid, uid = uid, iid = IID, state = 'pending', token = token,
              deadline = NOW + PENDING_MS, createdAt = NOW, enqueuedAt = enqueuedAt or 0 }
  saveSession(s)
  return s
end

-- Frees a slot holder: the caller promotes afterwards (ADM-16).
local function dropSession(sid, kind, detail)
  local s = loadSession(sid)
  redis.call('ZREM', K_SLOTS, sid)
  redis.call('HDEL', K_SESSIONS, sid)
  redis.call('HDEL', K_INDEX, sid)
  if s then
    local lock = redis.call('HGET', K_LOCKS, s.cid)
    if lock then
      local _, lsid = parseLock(lock)
      if lsid == sid then redis.call('HDEL', K_LOCKS, s.cid) end
    end
    redis.call('HDEL', K_REPLACE, s.cid)
    event(kind, s.cid, sid, s.uid, detail or s.state)
  end
  return s
end

local function dequeue(cid)
  redis.call('ZREM', K_QUEUE, cid)
  redis.call('HDEL', K_QUEUED, cid)
  redis.call('ZREM', K_POLLS, cid)
end

-- FIFO promotion of queue heads into free slots. Promoted sessions are pending with no token yet: the token is
-- minted when the owner polls the queue status (Lua has no secure random source).
local function promote()
  while redis.call('ZCARD', K_SLOTS) < CAPACITY do
    local head = redis.call('ZRANGE', K_QUEUE, 0, 0)[1]
    if not head then break end
    local raw = redis.call('HGET', K_QUEUED, head)
    local meta = raw and cjson.decode(raw) or {}
    dequeue(head)
    local lock = redis.call('HGET', K_LOCKS, head)
    local selected = meta.uid and redis.call('HGET', K_SELECTION, meta.uid)
    if not meta.uid or (lock and lockIsLive(lock)) or (selected and selected ~= head) then
      event('skipped', head, '', meta.uid, 'busy')
    else
      local s = newSession(head, meta.uid, '', meta.at)
      redis.call('ZADD', K_PROMOTIONS, NOW, s.sid)
      event('promoted', head, s.sid, meta.uid, NOW - (meta.at or NOW))
    end
  end
  redis.call('ZREMRANGEBYSCORE', K_PROMOTIONS, '-inf', '(' .. string.format('%d', NOW - ETA_WINDOW_MS))
end

-- Lazy expiry: pending and grace sessions past their deadline and queue entries not polled for ABANDON_MS are gone
-- on every read, whether or not the janitor has run (ADM-17, ADM-18, ADM-23).
local function sweep()
  local expired = redis.call('ZRANGEBYSCORE', K_SLOTS, '-inf', string.format('%d', NOW))
  for _, sid in ipairs(expired) do dropSession(sid, 'expired') end
  local idle = redis.call('ZRANGEBYSCORE', K_POLLS, '-inf', '(' .. string.format('%d', NOW - ABANDON_MS))
  for _, cid in ipairs(idle) do
    local raw = redis.call('HGET', K_QUEUED, cid)
    local meta = raw and cjson.decode(raw) or {}
    dequeue(cid)
    event('abandoned', cid, '', meta.uid, '')
  end
  promote()
end

local function rank(cid)
  return tostring(redis.call('ZRANK', K_QUEUE, cid))
end

local function depth()
  return tostring(redis.call('ZCARD', K_QUEUE))
end
