-- failures.lua: admission failure rate limit (ADM-12): N failures in a rolling window lock the user for a while.
-- KEYS: 1 failures ZSET tm:rl:{subject}:failures (member unique per failure, score = epoch ms)
--       2 lock STRING tm:rl:{subject}:lock (value = lock end, epoch ms)
-- ARGV: 1 operation 'check' | 'fail'   2 now (epoch ms, injected Clock)   3 window ms   4 max failures
--       5 lock ms   6 unique member for this failure
-- Returns: 'check' -> remaining lock ms (0 = not locked);
--          'fail'  -> remaining lock ms when this failure locked the user, else 0.
-- Times are compared with ARGV now, not Redis TTLs, so tests can move the clock; TTLs only collect garbage.
local op, now, windowMs, maxFailures, lockMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local lockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if lockedUntil > now then
  return lockedUntil - now
end
if op == 'check' then
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - windowMs))
redis.call('ZADD', KEYS[1], now, ARGV[6])
redis.call('PEXPIRE', KEYS[1], windowMs * 2)
if redis.call('ZCARD', KEYS[1]) >= maxFailures then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], string.format('%d', now + lockMs), 'PX', lockMs * 2)
  return lockMs
end
return 0
