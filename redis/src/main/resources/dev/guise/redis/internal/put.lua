-- A ban for the whole fleet: stored with its own expiry (Redis forgets it when it ends), added to
-- the fleet's index of bans and told to every process on the change channel, in one step.
-- KEYS[1] the ban, KEYS[2] the index; ARGV[1] the record, ARGV[2] what is left of it (ms),
-- ARGV[3] the channel, ARGV[4] the message. SET replaces whatever was there, whatever its type.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
index_add(KEYS[2], KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
