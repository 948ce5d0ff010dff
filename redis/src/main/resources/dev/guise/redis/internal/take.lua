-- Takes up to ARGV[3] tokens from a token bucket the whole fleet shares: ARGV[1] tokens a second,
-- ARGV[2] at most in the bucket. Time is Redis's own (TIME), so the processes' clocks never
-- disagree. Returns the tokens granted (0 when the bucket is empty).
-- KEYS[1] the bucket, a hash {tokens, ts (microseconds)}; anything else there is replaced.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local tokens = nil
local ts = nil
local r = redis.pcall('HMGET', KEYS[1], 'tokens', 'ts')
if type(r) == 'table' and r.err then
  redis.call('DEL', KEYS[1])
elseif r then
  tokens = tonumber(r[1])
  ts = tonumber(r[2])
end
if tokens == nil or ts == nil or ts > now or tokens ~= tokens then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + (now - ts) * rate / 1000000)
local granted = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return granted
