-- Replaces a client only while it is stored as the caller read it. Returns 'OK', or 'RETRY' when it changed or went
-- since (nothing written): the caller reads it again and decides anew.
-- KEYS[1] the client's JSON (tagged {clients})
-- ARGV[1] the client's JSON as the caller read it, ARGV[2] the client's new JSON
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
	return 'RETRY'
end
redis.call('SET', KEYS[1], ARGV[2])
return 'OK'
