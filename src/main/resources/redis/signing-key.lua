-- Stores the candidate signing key unless one is stored already, and returns the stored one.
-- KEYS[1] the signing key; ARGV[1] the candidate (a private JWK)
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
