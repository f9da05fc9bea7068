-- Revokes one access token until it expires, and announces it for the local revocation views.
-- Returns 1 when recorded, 0 when the token had expired already (it is refused anyway; nothing to record).
-- KEYS[1] the revoked-jti hash of the token's authorization
-- ARGV[1] the jti, ARGV[2] its expiry (epoch ms), ARGV[3] now (epoch ms), ARGV[4] the revocations channel

-- Shared with authorization-rotate.lua and authorization-remove.lua: keep the three copies identical.
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

return revoke(KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4])
