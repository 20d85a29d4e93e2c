-- The journal's writes, each atomic. Called as journal.lua with
--   KEYS: state, order, entries, details, answers, refs, the calling worker's key
--   ARGV: 'write', limit, the flush request answered, n, then n x (summary, details, answer id or ''),
--         then m, then m x (answer id, headers, body)                      -> the last sequence number
--   ARGV: 'delete', then sequence numbers                                   -> how many were deleted
-- An entry's answer (headers and kept body) is stored once per distinct answer and counted by the entries
-- that name it; the last entry to go takes it along.
local state, order, entries, details, answers, refs = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]

local function drop(seq)
  local detail = redis.call('HGET', details, seq)
  if not detail then
    return 0
  end
  local id = cjson.decode(detail)[2]
  if id ~= nil and id ~= cjson.null then
    if redis.call('HINCRBY', refs, id, -1) <= 0 then
      redis.call('HDEL', refs, id)
      redis.call('HDEL', answers, id .. ':h', id .. ':b')
    end
  end
  redis.call('HDEL', entries, seq)
  redis.call('HDEL', details, seq)
  redis.call('ZREM', order, seq)
  return 1
end

if ARGV[1] == 'delete' then
  local deleted = 0
  for i = 2, #ARGV do
    deleted = deleted + drop(ARGV[i])
  end
  return deleted
end

local limit, n = tonumber(ARGV[2]), tonumber(ARGV[4])
local last = tonumber(redis.call('HGET', state, 'seq') or 0)
local at = 5
for _ = 1, n do
  last = redis.call('HINCRBY', state, 'seq', 1)
  redis.call('HSET', entries, last, ARGV[at])
  redis.call('HSET', details, last, ARGV[at + 1])
  redis.call('ZADD', order, last, last)
  if ARGV[at + 2] ~= '' then
    redis.call('HINCRBY', refs, ARGV[at + 2], 1)
  end
  at = at + 3
end
local m = tonumber(ARGV[at])
at = at + 1
for _ = 1, m do
  redis.call('HSETNX', answers, ARGV[at] .. ':h', ARGV[at + 1])
  redis.call('HSETNX', answers, ARGV[at] .. ':b', ARGV[at + 2])
  at = at + 3
end
local held = redis.call('ZCARD', order)
if held > limit then
  for _, seq in ipairs(redis.call('ZRANGE', order, 0, held - limit - 1)) do
    drop(seq)
  end
end
if redis.call('EXISTS', KEYS[7]) == 1 then
  redis.call('HSET', KEYS[7], 'ack', ARGV[3])
end
return last
