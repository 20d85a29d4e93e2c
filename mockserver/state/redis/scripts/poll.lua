-- A worker's look at the state (its watcher, every poll): one round trip whether or not the state moved.
--   KEYS: state, sessions
--   ARGV: the epoch and version the worker serves
-- Returns {flush} while the state is the one served; else {flush, the state hash, the sessions hash} (flat
-- lists), or {flush, false} when there is no state (Redis lost it: the worker writes it back).
local state = redis.call('HMGET', KEYS[1], 'epoch', 'version', 'flush')
local flush = state[3] or '0'
if not state[1] then
  return {flush, false}
end
if state[1] == ARGV[1] and state[2] == ARGV[2] then
  return {flush}
end
return {flush, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
