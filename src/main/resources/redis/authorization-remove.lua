-- Removes an authorization and revokes its current access token. Returns the removed JSON, or nil if none.
-- KEYS[1] the authorization hash, KEYS[2] its rotated-out refresh token hashes, KEYS[3] its revoked-jti hash
-- (all tagged with the authorization id)
-- ARGV[1] now (epoch ms), ARGV[2] the revocations channel

-- Shared with revoke.lua and authorization-rotate.lua: keep the three copies identical.
-- Drops entries whose token has expired (an authorization's hash stays small however often it is refreshed),
-- keeps the later expiry of a jti revoked twice, and raises (never lowers) the hash's TTL to cover the entry.
-- Publishes '<jti> <now>' on the revocations channel.
local function revoke(key, jti, expiry, now, channel)
	local expires = tonumber(expiry)
	if expires <= now then
		return 0
	end
	local entries = redis.call('HGETALL', key)
	for i = 1, #entries, 2 do
		if tonumber(entries[i + 1]) <= now then
			redis.call('HDEL', key, entries[i])
		end
	end
	local known = tonumber(redis.call('HGET', key, jti) or '0')
	if known < expires then
		redis.call('HSET', key, jti, expiry)
	end
	if redis.call('PTTL', key) < expires - now then
		redis.call('PEXPIRE', key, expires - now)
	end
	-- '<jti> <epoch ms of the revocation>': subscribers measure how long the announcement took to reach them
	redis.call('PUBLISH', channel, jti .. ' ' .. string.format('%.0f', now))
	return 1
end

local current = redis.call('HMGET', KEYS[1], 'data', 'jti', 'aexp')
if not current[1] then
	return nil
end
revoke(KEYS[3], current[2], current[3], tonumber(ARGV[1]), ARGV[2])
redis.call('DEL', KEYS[1], KEYS[2])
return current[1]
