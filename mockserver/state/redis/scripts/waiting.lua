-- How many live workers have not yet reached a number: their seen version, or their answered flush request.
--   KEYS: the set of worker ids
--   ARGV: the prefix of a worker's key, the field (seen or ack), the number
-- A worker whose key expired (it stopped, or stopped beating) leaves the set and is not waited for.
local waiting = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local value = redis.call('HGET', key, ARGV[2])
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[1], id)
  elseif tonumber(value or 0) < tonumber(ARGV[3]) then
    waiting = waiting + 1
  end
end
return waiting
