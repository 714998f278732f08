-- release.lua: frees a session's slot and promotes the queue head in the same atomic step (ADM-16, ADM-19).
-- With an empty session id it only sweeps (expiry, abandonment) and promotes: the janitor's call.
-- KEYS: see common.lua (1-12).
-- ARGV: 1-6 see common.lua, then 7 sessionId ('' = sweep only), 8 reason (logged: leave, timeout, inactivity...),
--   9 expected userId ('' = any; otherwise only that user's session is released)
-- Returns { result, events } with result = { 'released' | 'missing' | 'forbidden', depth, peak, slots in use }
sweep()
local sid, reason, owner = ARGV[7], ARGV[8], ARGV[9]
local outcome = 'missing'
if sid ~= '' then
  local s = loadSession(sid)
  if s and owner ~= '' and s.uid ~= owner then
    outcome = 'forbidden'
  elseif s then
    dropSession(sid, 'released', reason)
    promote()
    outcome = 'released'
  end
end
return { { outcome, depth(), tostring(redis.call('HGET', K_STATS, 'peak') or '0'),
  tostring(redis.call('ZCARD', K_SLOTS)) }, events }
