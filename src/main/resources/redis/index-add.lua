-- Lists an authorization in a client's or user's index, scored by when it expires, and forgets expired members.
-- The index lives as long as its longest-lived member. Returns 1 when listed, 0 when already expired.
-- KEYS[1] the index (sorted set)
-- ARGV[1] the authorization id, ARGV[2] its expiry (epoch ms), ARGV[3] now (epoch ms)
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[2]) - now
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if ttl <= 0 then
	redis.call('ZREM', KEYS[1], ARGV[1])
	return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
	redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
