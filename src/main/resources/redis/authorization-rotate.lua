-- Swaps an authorization's refresh token for new tokens, or detects the reuse of a rotated-out one, as one step:
-- of concurrent calls presenting the same token, exactly one sees it current.
-- Returns 'ROTATED', 'STALE', 'REUSED' or 'UNKNOWN' (see RefreshOutcome).
-- KEYS[1] the authorization hash, KEYS[2] its rotated-out refresh token hashes, KEYS[3] its revoked-jti hash
-- (all tagged with the authorization id)
-- ARGV[1] the presented refresh token hash, ARGV[2] now (epoch ms), ARGV[3] the reuse grace period (ms),
-- ARGV[4] the new refresh token hash, ARGV[5] the new access jti, ARGV[6] the new access expiry (epoch ms),
-- ARGV[7] the new JSON, ARGV[8] the new TTL (ms), ARGV[9] the revocations channel

-- Shared with revoke.lua and authorization-remove.lua: keep the three copies identical.
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

local now = tonumber(ARGV[2])
local current = redis.call('HMGET', KEYS[1], 'rt', 'jti', 'aexp')
if not current[1] then
	return 'UNKNOWN'
end
if current[1] ~= '' and current[1] == ARGV[1] then
	redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
	redis.call('HSET', KEYS[1], 'data', ARGV[7], 'rt', ARGV[4], 'jti', ARGV[5], 'aexp', ARGV[6])
	revoke(KEYS[3], current[2], current[3], now, ARGV[9])
	redis.call('PEXPIRE', KEYS[1], ARGV[8])
	redis.call('PEXPIRE', KEYS[2], ARGV[8])
	return 'ROTATED'
end
local rotatedAt = redis.call('HGET', KEYS[2], ARGV[1])
if not rotatedAt then
	return 'UNKNOWN'
end
if now - tonumber(rotatedAt) <= tonumber(ARGV[3]) then
	return 'STALE'
end
-- RFC 9700 §4.14.2: a rotated-out refresh token presented again ends the whole grant.
revoke(KEYS[3], current[2], current[3], now, ARGV[9])
redis.call('DEL', KEYS[1], KEYS[2])
return 'REUSED'
