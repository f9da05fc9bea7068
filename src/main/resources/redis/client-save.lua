-- Stores a client and lists its id in one step, so that findAll never misses a stored client.
-- KEYS[1] the client's JSON, KEYS[2] the set of client ids (both tagged {clients})
-- ARGV[1] the client id, ARGV[2] the client's JSON
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
