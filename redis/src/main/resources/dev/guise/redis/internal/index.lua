-- The fleet's index of its ban keys (put before the scripts that store or lift a ban): a sorted
-- set of ban key names, each scored with the time its ban ends by Redis's own clock (ms), so a
-- lift-all or a pull reads the fleet's bans without walking the keyspace, and what ended is pruned
-- as bans are stored. Another program's value of another type under the index key is replaced.
local function redis_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function index_add(index, ban, left)
  local now = redis_ms()
  local ends = now + tonumber(left)
  local r = redis.pcall('ZADD', index, ends, ban)
  if type(r) == 'table' and r.err then
    redis.call('DEL', index)
    redis.call('ZADD', index, ends, ban)
  end
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
end

local function index_remove(index, ban)
  redis.pcall('ZREM', index, ban)
end
