-- status.lua: queue status for a polling client (ADM-15, ADM-23), or leaving the queue.
-- KEYS: see common.lua (1-12).
-- ARGV: 1-6 see common.lua, then 7 characterId   8 userId   9 fresh reconnection token (digest)   10 leave ('1'|'0')
-- Returns { result, events } with result =
--   { 'queued', position, depth, promotions in the ETA window, oldest promotion in the window (epoch ms or '') }
--   { 'success', sessionId, reconnectionToken }   (promoted: the pending session of this user's character)
--   { 'left' }   or   { 'none', epoch ms of the last ledger rebuild ('' if never) }: not queued; a rebuild (cache loss)
--   empties the queue, which the caller tells apart from a plain "not queued"
sweep()
local cid, uid, fresh, leave = ARGV[7], ARGV[8], ARGV[9], ARGV[10] == '1'
if redis.call('ZSCORE', K_QUEUE, cid) then
  local raw = redis.call('HGET', K_QUEUED, cid)
  local meta = raw and cjson.decode(raw) or {}
  if meta.uid ~= uid then return { { 'none', '' }, events } end
  if leave then
    dequeue(cid)
    return { { 'left' }, events }
  end
  redis.call('ZADD', K_POLLS, NOW, cid)
  local count = redis.call('ZCARD', K_PROMOTIONS)
  local oldest = redis.call('ZRANGE', K_PROMOTIONS, 0, 0, 'WITHSCORES')[2] or ''
  return { { 'queued', rank(cid), depth(), tostring(count), oldest }, events }
end
local lock = redis.call('HGET', K_LOCKS, cid)
if lock and lockIsLive(lock) then
  local liid, lsid = parseLock(lock)
  local s = liid == IID and loadSession(lsid)
  if s and s.uid == uid and s.state == 'pending' then
    -- Rotated on every answer: Redis keeps only the token's digest, so the one returned is the one just stored.
    s.token = fresh
    redis.call('HSET', K_SESSIONS, s.sid, cjson.encode(s))
    return { { 'success', s.sid, s.token }, events }
  end
end
return { { 'none', redis.call('HGET', K_LEDGER, 'rebuiltAt') or '' }, events }
