-- Hands out an authorization code once: of concurrent calls with the same code, exactly one gets its JSON.
-- The code is removed and marked used in the same step, so that a later presentation is recognised as reuse.
-- Returns the code's JSON, or nil when none is stored (never issued, already consumed, or expired).
-- KEYS[1] the code, KEYS[2] its used marker (both tagged with the code hash)
-- ARGV[1] how long (ms) the marker outlives the code's own TTL
local code = redis.call('GET', KEYS[1])
if not code then
	return nil
end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
-- empty until the exchange records the authorization issued from the code
redis.call('SET', KEYS[2], '', 'PX', math.max(ttl, 0) + tonumber(ARGV[1]))
return code
