-- Appends an audit event and drops the oldest past the capacity in one step, so the list never outgrows it.
-- KEYS[1] the audit log (newest first)
-- ARGV[1] the event's JSON, ARGV[2] the capacity
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1
