-- intent_bucket.lua: per-session token bucket for realtime intents (RT-11: moves 20/s, chat 5/s).
-- KEYS: 1 bucket HASH tm:rl:{sessionId}:<kind> (fields tokens, at)
-- ARGV: 1 now (epoch ms, injected Clock)   2 rate (tokens per second)   3 burst (bucket size)
-- Returns: 1 when a token was taken (allowed), 0 when the bucket is empty (refused).
-- The TTL only collects idle buckets; refill is computed from ARGV now so tests can move the clock.
local now, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return allowed
