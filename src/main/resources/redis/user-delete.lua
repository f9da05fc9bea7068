-- Removes a user, frees its username and drops its id from the set of user ids in one step (all keys tagged
-- {users}).
-- Returns 'DELETED'; 'ABSENT' when there was no such user; 'RETRY' when the user changed since the caller read it
-- (nothing changed), because the caller derived KEYS[2] from what it read.
-- KEYS[1] the user's JSON, KEYS[2] its username -> id (KEYS[1] if none), KEYS[3] the set of user ids,
-- KEYS[4] its username as indexed before RFC 8265 (KEYS[2] if the same)
-- ARGV[1] the user id, ARGV[2] the user's JSON as the caller read it ('' if none)
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[2] then
	return 'RETRY'
end
redis.call('SREM', KEYS[3], ARGV[1])
if current == '' then
	return 'ABSENT'
end
-- never free a name that has since come to point at another user
for _, name in ipairs({ KEYS[2], KEYS[4] }) do
	if redis.call('GET', name) == ARGV[1] then
		redis.call('DEL', name)
	end
end
redis.call('DEL', KEYS[1])
return 'DELETED'
