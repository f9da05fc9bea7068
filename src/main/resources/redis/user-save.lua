-- Creates or replaces a user, its username index and its entry in the set of user ids in one step (all keys
-- tagged {users}).
-- Returns 'OK'; 'TAKEN' when another user holds the username (nothing changed); 'RETRY' when the user changed
-- since the caller read it (nothing changed), because the caller derived KEYS[3] from what it read.
-- KEYS[1] the user's JSON, KEYS[2] the new username -> id, KEYS[3] the previous username -> id (KEYS[2] if none),
-- KEYS[4] the set of user ids, KEYS[5] the previous username as indexed before RFC 8265 (KEYS[3] if the same)
-- ARGV[1] the user id, ARGV[2] the user's new JSON, ARGV[3] the user's JSON as the caller read it ('' if none)
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[3] then
	return 'RETRY'
end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then
	return 'TAKEN'
end
for _, previous in ipairs({ KEYS[3], KEYS[5] }) do
	if previous ~= KEYS[2] and redis.call('GET', previous) == ARGV[1] then
		redis.call('DEL', previous)
	end
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 'OK'
