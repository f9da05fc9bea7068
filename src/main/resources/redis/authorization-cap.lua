-- Keeps at most ARGV[2] live members in a client-and-subject index, the ones expiring last, and returns the ids of
-- the others, taken out of the index (the caller removes their authorizations).
-- KEYS[1] the index (sorted set, scored by expiry)
-- ARGV[1] now (epoch ms), ARGV[2] how many to keep
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess <= 0 then
	return {}
end
local ids = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
redis.call('ZREM', KEYS[1], unpack(ids))
return ids
