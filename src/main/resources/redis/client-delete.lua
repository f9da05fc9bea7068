-- Removes a client and its id from the listing in one step. Returns 1 when the client existed, else 0.
-- KEYS[1] the client's JSON, KEYS[2] the set of client ids (both tagged {clients})
-- ARGV[1] the client id
local existed = redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return existed
