-- Counts a credential attempt under KEYS[1] unless the key is blocked (AttemptStore.record).
-- ARGV[1] now (epoch ms), ARGV[2] limit, ARGV[3] window (ms), ARGV[4] longest block (ms)
-- Returns {counted (1/0), count, blocked until (epoch ms)}.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'count', 'until')
local count = tonumber(state[1] or '0')
local blocked_until = tonumber(state[2] or '0')
if now < blocked_until then
  return {0, count, blocked_until}
end
count = count + 1
local keep = tonumber(ARGV[3])
if count >= limit then
  local block = math.min(1000 * 2 ^ math.min(count - limit, 30), tonumber(ARGV[4]))
  blocked_until = now + block
  keep = math.max(keep, block)
end
redis.call('HSET', KEYS[1], 'count', count, 'until', blocked_until)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, count, blocked_until}
