-- Stores a new version of the signing key set if the stored one is still the expected version (compare-and-set), and
-- announces the change to every replica. Returns 1 when stored, 0 when another change came first.
-- KEYS[1] the signing key set (a hash: version, keys)
-- ARGV[1] the expected version (0: nothing stored), ARGV[2] the new version, ARGV[3] the keys (JSON),
-- ARGV[4] the revocations channel, ARGV[5] the announcement
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored ~= tonumber(ARGV[1]) then
	return 0
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'keys', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
