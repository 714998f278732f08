-- session.lua: session state transitions pending -> active -> grace -> active | gone (ADM-17, ADM-18).
-- KEYS: see common.lua (1-12).
-- ARGV: 1-6 see common.lua, then
--   7 operation: 'get' | 'activate' | 'grace' | 'reconnect' | 'rotate' (a fresh token for an active session)
--   8 sessionId   9 grace ms   10 presented reconnection token   11 fresh reconnection token
--   Tokens are SHA-256 digests (TokenGenerator): the token in the result is the stored digest, which the caller turns
--   into the clear token only when it is the fresh one it passed (reconnect, rotate).
--   12 connectionId: for activate/reconnect the socket taking the session (remembered as the session's current one),
--      for grace the socket that closed ('' = whichever)
-- Returns { result, events } with result =
--   { 'ok', sessionId, characterId, userId, instanceId, state, reconnectionToken, deadline (epoch ms, 0 = none),
--     previous connectionId (reconnect only: the socket it took the session from, '' if none) }
--   or { 'missing' }   or   { 'invalid', current state }
sweep()
local op, sid, graceMs, presented, fresh, conn = ARGV[7], ARGV[8], tonumber(ARGV[9]), ARGV[10], ARGV[11], ARGV[12] or ''
local previous = ''

local s = loadSession(sid)
if not s then
  return { { 'missing' }, events }
end
if op == 'activate' then
  if s.state ~= 'pending' then return { { 'invalid', s.state }, events } end
  s.state = 'active'
  s.deadline = 0
  if conn ~= '' then s.conn = conn end
elseif op == 'grace' then
  if s.state ~= 'active' then return { { 'invalid', s.state }, events } end
  -- A late close of a socket the session has moved on from (a reconnect took over) changes nothing.
  if conn ~= '' and s.conn and s.conn ~= '' and s.conn ~= conn then return { { 'invalid', s.state }, events } end
  s.state = 'grace'
  s.deadline = NOW + graceMs
elseif op == 'reconnect' then
  -- Single use: the presented token is replaced by the fresh one in the same step. An active session may be taken
  -- over by a socket that holds its token (its old socket's $disconnect can lag by seconds on API Gateway).
  local takeover = s.state == 'active' and conn ~= ''
  if (s.state ~= 'grace' and not takeover) or presented == '' or s.token ~= presented then
    return { { 'invalid', s.state }, events }
  end
  previous = s.conn or ''
  s.state = 'active'
  s.deadline = 0
  s.token = fresh
  if conn ~= '' then s.conn = conn end
  event('reconnected', s.cid, s.sid, s.uid, '')
elseif op == 'rotate' then
  -- The token a client is given on its snapshot/resume. Only the digest is kept, so giving one means minting one;
  -- this also gives a token to a session restored after a cache loss (the lost cache held its digest).
  if s.state ~= 'active' then return { { 'invalid', s.state }, events } end
  s.token = fresh
elseif op ~= 'get' then
  return redis.error_reply('unknown operation ' .. op)
end
if op ~= 'get' then saveSession(s) end
return { { 'ok', s.sid, s.cid, s.uid, s.iid, s.state, s.token, string.format('%d', s.deadline), previous }, events }
