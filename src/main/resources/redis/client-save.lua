-- Stores a client and lists its id in one step, so that findAll never misses a stored client, and announces the change
-- so that replicas forget the client as they remembered it.
-- KEYS[1] the client's JSON, KEYS[2] the set of client ids (both tagged {clients})
-- ARGV[1] the client id, ARGV[2] the client's JSON, ARGV[3] the revocations channel, ARGV[4] the announcement
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
