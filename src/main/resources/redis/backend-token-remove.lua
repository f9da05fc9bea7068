-- Forgets a backend token if it is still the one the backend refused (BackendTokenStore.remove), not one that
-- another replica saved since.
-- KEYS[1] the backend token key, ARGV[1] the refused token's fingerprint
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ' ' then
	return redis.call('DEL', KEYS[1])
end
return 0
