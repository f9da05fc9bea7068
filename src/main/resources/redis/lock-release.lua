-- Releases a lock taken with SET NX PX if the caller still holds it (a lock that expired and was taken by another
-- replica stays).
-- KEYS[1] the lock key, ARGV[1] the owner
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
