-- Lifts every ban of the fleet and tells every process, in one step: a script runs alone, so a ban
-- another process stores meanwhile lands either before (and is lifted) or after the notice (and
-- is kept, its own notice following this one). KEYS[1] the fleet's index of bans; ARGV[1] what
-- every ban key's name starts with, ARGV[2] the channel, ARGV[3] the message. Returns how many
-- were lifted. It reads only the index: its cost follows the fleet's bans (those in force and
-- those ended since the last ban was stored), never the size of the database.
local names = redis.pcall('ZRANGE', KEYS[1], 0, -1)
local n = 0
if not (type(names) == 'table' and names.err) then
  for _, key in ipairs(names) do
    -- Only ban keys: another program may have written anything into the index.
    if string.sub(key, 1, #ARGV[1]) == ARGV[1] then
      n = n + redis.call('DEL', key)
    end
  end
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return n
