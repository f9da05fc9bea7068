-- Ends an authorization evicted by the cap on live grants: deletes it, so that its access token, no longer the
-- current token of a live grant, is refused (token-revoked.lua) without a revocation entry to keep until it expires,
-- and announces it for the local revocation views. Returns 1 when it was there, or nil if none (nothing is read back:
-- the caller knows its listings).
-- KEYS[1] the authorization hash, KEYS[2] its rotated-out refresh token hashes (both tagged with the id)
-- ARGV[1] now (epoch ms), ARGV[2] the revocations channel
local jti = redis.call('HGET', KEYS[1], 'jti')
if not jti then
	return nil
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[2], jti .. ' ' .. ARGV[1])
return 1
