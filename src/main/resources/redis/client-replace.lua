-- Replaces a client only while it is stored as the caller read it, and announces the change so that replicas forget
-- the client as they remembered it. Returns 'OK', or 'RETRY' when it changed or went since (nothing written): the
-- caller reads it again and decides anew.
-- KEYS[1] the client's JSON (tagged {clients})
-- ARGV[1] the client's JSON as the caller read it, ARGV[2] the client's new JSON, ARGV[3] the revocations channel,
-- ARGV[4] the announcement
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
	return 'RETRY'
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 'OK'
