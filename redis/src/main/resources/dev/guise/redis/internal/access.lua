-- Adds (ARGV[1] = '+') or removes ('-') the entry ARGV[2] of the access set KEYS[1], and tells the
-- fleet on channel ARGV[3] with message ARGV[4] when the set changed. A key of another type
-- (another program's) is replaced. Returns 1 when the set changed.
local function change()
  if ARGV[1] == '+' then
    return redis.pcall('SADD', KEYS[1], ARGV[2])
  end
  return redis.pcall('SREM', KEYS[1], ARGV[2])
end
local n = change()
if type(n) == 'table' and n.err then
  redis.call('DEL', KEYS[1])
  n = change()
end
if n == 1 then
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return n
