-- One more strike against a key, for the whole fleet; strikes are forgotten ARGV[1] ms after the
-- last one. KEYS[1] the counter. Returns the fleet's count, this strike included.
-- Another program may have written anything there: a value that is not a count is replaced.
local v = redis.pcall('GET', KEYS[1])
local n = 0
if type(v) == 'table' and v.err then
  redis.call('DEL', KEYS[1])
elseif v then
  n = tonumber(v) or 0
  if n ~= math.floor(n) or n < 0 then
    n = 0
  end
end
n = n + 1
redis.call('SET', KEYS[1], string.format('%d', n), 'PX', ARGV[1])
return n
