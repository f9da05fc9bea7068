-- Stores an authorization with a TTL that ends with the last token issued in it. Returns 1.
-- KEYS[1] the authorization hash, KEYS[2] its rotated-out refresh token hashes (both tagged with the id)
-- ARGV[1] the JSON, ARGV[2] the refresh token hash ('' if none), ARGV[3] the access jti,
-- ARGV[4] the access token expiry (epoch ms), ARGV[5] the TTL (ms; not positive deletes: already expired)
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'rt', ARGV[2], 'jti', ARGV[3], 'aexp', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
-- An authorization saved over keeps its rotated-out refresh tokens, so their reuse is still detected.
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
