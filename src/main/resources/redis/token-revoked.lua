-- Whether an access token was ended (RevocationStore.isRevoked): revoked and not yet expired, or no longer the
-- current token of a live grant (the grant ended, was evicted by the cap on live grants, or was refreshed since).
-- KEYS[1] the revoked-jti hash of the token's authorization, KEYS[2] the authorization hash (same hash tag)
-- ARGV[1] the jti, ARGV[2] now (epoch ms)
-- Returns 1 when ended, 0 when the token is the current one of a live grant and not revoked.
local expiry = redis.call('HGET', KEYS[1], ARGV[1])
if expiry and tonumber(expiry) > tonumber(ARGV[2]) then
	return 1
end
if redis.call('HGET', KEYS[2], 'jti') ~= ARGV[1] then
	return 1
end
return 0
