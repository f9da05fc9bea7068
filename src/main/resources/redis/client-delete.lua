-- Removes a client and its id from the listing in one step, and announces the change so that replicas forget the
-- client as they remembered it. Returns 1 when the client existed, else 0.
-- KEYS[1] the client's JSON, KEYS[2] the set of client ids (both tagged {clients})
-- ARGV[1] the client id, ARGV[2] the revocations channel, ARGV[3] the announcement
local existed = redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
if existed > 0 then
	redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return existed
