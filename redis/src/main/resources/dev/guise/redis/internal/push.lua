-- Pushes a ban this process holds (kept while Redis was away) unless the fleet already has one.
-- KEYS[1] the ban, KEYS[2] the index of bans; ARGV[1] the record, ARGV[2] what is left of it (ms),
-- ARGV[3] the change channel, ARGV[4] the message to publish. Returns 1 when pushed (and told).
local v = redis.pcall('GET', KEYS[1])
if type(v) == 'table' and v.err then
  redis.call('DEL', KEYS[1])
  v = nil
end
if v and string.sub(v, 1, 3) == 'g1|' then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
index_add(KEYS[2], KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
