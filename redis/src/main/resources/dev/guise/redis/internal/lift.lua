-- Lifts a ban for the whole fleet. KEYS[1] the ban, KEYS[2] the index of bans; ARGV[1] the
-- channel, ARGV[2] the message. Told even when the key is gone (expired): other processes may
-- still hold the ban.
local n = redis.call('DEL', KEYS[1])
index_remove(KEYS[2], KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return n
