-- Lifts every ban of the fleet and tells every process, in one step: a script runs alone, so a ban
-- another process stores meanwhile lands either before (and is lifted) or after the notice (and
-- is kept, its own notice following this one). ARGV[1] the pattern of the ban keys (the prefix's
-- glob characters escaped), ARGV[2] the channel, ARGV[3] the message. Returns how many were
-- lifted. It walks the keyspace with SCAN inside the script: Redis serves nothing else meanwhile,
-- which for a fleet's own Redis (bans, strikes, buckets: thousands of keys) is a millisecond or so.
local cursor = '0'
local n = 0
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    n = n + redis.call('DEL', key)
  end
until cursor == '0'
redis.call('PUBLISH', ARGV[2], ARGV[3])
return n
