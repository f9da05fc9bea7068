-- Ends an authorization evicted by the cap on live grants: deletes it, so that its access token, no longer the
-- current token of a live grant, is refused (token-revoked.lua) without a revocation entry to keep until it expires,
-- and announces it for the local revocation views. Returns the removed JSON, or nil if none.
-- KEYS[1] the authorization hash, KEYS[2] its rotated-out refresh token hashes (both tagged with the id)
-- ARGV[1] now (epoch ms), ARGV[2] the revocations channel
local current = redis.call('HMGET', KEYS[1], 'data', 'jti')
if not current[1] then
	return nil
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[2], current[2] .. ' ' .. ARGV[1])
return current[1]
