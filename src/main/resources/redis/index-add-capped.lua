-- Lists an authorization in a client-and-subject index as index-add.lua does, then keeps at most ARGV[4] live members,
-- the ones expiring last, and returns the ids of the others, taken out of the index (the caller removes their
-- authorizations): the listing and the cap on live grants in one command.
-- KEYS[1] the index (sorted set, scored by expiry)
-- ARGV[1] the authorization id, ARGV[2] its expiry (epoch ms), ARGV[3] now (epoch ms), ARGV[4] how many to keep
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[2]) - now
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if ttl <= 0 then
	redis.call('ZREM', KEYS[1], ARGV[1])
else
	redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
	if redis.call('PTTL', KEYS[1]) < ttl then
		redis.call('PEXPIRE', KEYS[1], ttl)
	end
end
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess <= 0 then
	return {}
end
local ids = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
redis.call('ZREM', KEYS[1], unpack(ids))
return ids
