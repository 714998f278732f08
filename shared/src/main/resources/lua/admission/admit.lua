-- admit.lua: the admission decision for one character on one instance, atomically (ADM-08..11, ADM-14, ADM-18).
-- KEYS: see common.lua (1-12).
-- ARGV: 1-6 see common.lua, then
--   7 characterId   8 userId   9 draining ('1'|'0')   10 queue max length
--   11 reconnection token presented ('' if none)   12 replace token presented ('' if none)
--   13 fresh replace token (offered on ALREADY_IN_SESSION)   14 replace token ttl ms
--   15 fresh reconnection token (for a new, replacing, reconnected or re-polled pending session)
--   Every token here is a SHA-256 digest (TokenGenerator): Redis never holds a token a client could present.
--   So a token is never read back out to a client: whenever one is returned it is the fresh one, just stored.
-- Returns { result, events } with result =
--   { 'success', sessionId, reconnectionToken, how ('new'|'pending'|'reconnected'|'replaced'), replacedSessionId }
--   { 'queued', position, depth }
--   { 'failed', reason, replaceToken }
sweep()

local cid, uid = ARGV[7], ARGV[8]
local draining = ARGV[9] == '1'
local queueMax = tonumber(ARGV[10])
local reconnectionToken, replaceToken = ARGV[11], ARGV[12]
local freshReplaceToken, replaceTtl, freshToken = ARGV[13], tonumber(ARGV[14]), ARGV[15]

-- ADM-14: the selection is re-checked here, so a selection change racing this request aborts it cleanly.
local selected = redis.call('HGET', K_SELECTION, uid)
if selected and selected ~= cid then
  return { { 'failed', 'NO_ACTIVE_CHARACTER', '' }, events }
end
if not selected then
  redis.call('HSET', K_SELECTION, uid, cid)
end

local lock = redis.call('HGET', K_LOCKS, cid)
if lock and lockIsLive(lock) then
  local liid, lsid = parseLock(lock)
  if liid ~= IID then
    -- ADM-08: active or in grace on another instance; no replacement across instances.
    return { { 'failed', 'ALREADY_IN_SESSION', '' }, events }
  end
  local s = loadSession(lsid)
  if s then
    if s.state == 'pending' and s.uid == uid then
      -- Admitted (or promoted) but not connected yet: a retried connect gets the same session, never a second one,
      -- with a fresh token (the stored digest cannot be handed out again; the previous token is void).
      s.token = freshToken
      redis.call('HSET', K_SESSIONS, s.sid, cjson.encode(s))
      return { { 'success', s.sid, s.token, 'pending', '' }, events }
    end
    if reconnectionToken ~= '' and s.state == 'grace' and s.token == reconnectionToken then
      -- ADM-18: the single-use token is spent and rotated; the slot was kept through grace.
      s.state = 'pending'
      s.token = freshToken
      s.deadline = NOW + PENDING_MS
      saveSession(s)
      event('reconnected', cid, s.sid, uid, '')
      return { { 'success', s.sid, s.token, 'reconnected', '' }, events }
    end
    if replaceToken ~= '' then
      local raw = redis.call('HGET', K_REPLACE, cid)
      local offer = raw and cjson.decode(raw)
      if offer and offer.token == replaceToken and offer.sid == lsid and offer.exp > NOW then
        -- ADM-09: the old session is closed and the new one takes over its slot in the same step, so no queued
        -- player can take the slot in between and capacity is never exceeded.
        dropSession(lsid, 'replaced', '')
        local fresh = newSession(cid, uid, freshToken, 0)
        return { { 'success', fresh.sid, fresh.token, 'replaced', lsid }, events }
      end
    end
    redis.call('HSET', K_REPLACE, cid, cjson.encode({ token = freshReplaceToken, sid = lsid, exp = NOW + replaceTtl }))
    return { { 'failed', 'ALREADY_IN_SESSION', freshReplaceToken }, events }
  end
  redis.call('HDEL', K_LOCKS, cid)
elseif lock then
  -- Expired grace/pending on another instance: gone (ADM-18). That instance's own sweep frees its slot.
  redis.call('HDEL', K_LOCKS, cid)
end

if redis.call('ZSCORE', K_QUEUE, cid) then
  -- ADM-10: never queued twice; asking again counts as a poll.
  redis.call('ZADD', K_POLLS, NOW, cid)
  return { { 'queued', rank(cid), depth() }, events }
end

if draining then
  return { { 'failed', 'DRAIN_MODE', '' }, events }
end

-- After sweep() promoted into every free slot, a free slot means the queue is empty: admitting is FIFO-fair.
if redis.call('ZCARD', K_SLOTS) < CAPACITY then
  local s = newSession(cid, uid, freshToken, 0)
  return { { 'success', s.sid, s.token, 'new', '' }, events }
end

if redis.call('ZCARD', K_QUEUE) >= queueMax then
  return { { 'failed', 'QUEUE_FULL', '' }, events }
end

local ticket = redis.call('INCR', K_SEQ)
redis.call('ZADD', K_QUEUE, ticket, cid)
redis.call('HSET', K_QUEUED, cid, cjson.encode({ uid = uid, at = NOW }))
redis.call('ZADD', K_POLLS, NOW, cid)
local d = redis.call('ZCARD', K_QUEUE)
local peak = tonumber(redis.call('HGET', K_STATS, 'peak') or '0')
if d > peak then redis.call('HSET', K_STATS, 'peak', d) end
return { { 'queued', rank(cid), tostring(d) }, events }
