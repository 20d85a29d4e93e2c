-- The journal's writes, each atomic. Called as journal.lua with
--   KEYS: state, entries, answer_of, answers, refs, the calling worker's key
--   ARGV: 'write', limit, the flush request answered, the entries (JSON, one per line), their answers' ids
--         (one per line, '-' for none), then m, then m x (answer id, headers, body)  -> the last sequence number
--   ARGV: 'delete', then sequence numbers                                             -> how many were deleted
-- Entries are numbered from the state's seq; those `limit` or more below the last go (the state's `pruned`
-- says how far). An answer (headers and kept body) is stored once per distinct answer and counted by the
-- entries that name it; the last entry to go takes it along. Every command below takes many fields at once:
-- the work per entry is Redis's own, not the script's.
local state, entries, answer_of, answers, refs = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local CHUNK = 1000

local function release(counts)
  for id, count in pairs(counts) do
    if redis.call('HINCRBY', refs, id, -count) <= 0 then
      redis.call('HDEL', refs, id)
      redis.call('HDEL', answers, id .. ':h', id .. ':b')
    end
  end
end

-- Delete entries by sequence number (a list of at most CHUNK), with the answers no other entry names.
local function drop(seqs)
  local counts = {}
  for _, id in ipairs(redis.call('HMGET', answer_of, unpack(seqs))) do
    if id then
      counts[id] = (counts[id] or 0) + 1
    end
  end
  release(counts)
  redis.call('HDEL', answer_of, unpack(seqs))
  return redis.call('HDEL', entries, unpack(seqs))
end

if ARGV[1] == 'delete' then
  local deleted, seqs = 0, {}
  for i = 2, #ARGV do
    seqs[#seqs + 1] = ARGV[i]
    if #seqs == CHUNK or i == #ARGV then
      deleted = deleted + drop(seqs)
      seqs = {}
    end
  end
  return deleted
end

local limit = tonumber(ARGV[2])
local lines, ids = {}, {}
for line in string.gmatch(ARGV[4], '[^\n]+') do
  lines[#lines + 1] = line
end
for id in string.gmatch(ARGV[5], '[^\n]+') do
  ids[#ids + 1] = id
end
local n = #lines
local last = tonumber(redis.call('HINCRBY', state, 'seq', n))
local first = last - n + 1
local counts = {}
for start = 1, n, CHUNK do
  local stored, named = {}, {}
  for i = start, math.min(start + CHUNK - 1, n) do
    stored[#stored + 1] = first + i - 1
    stored[#stored + 1] = lines[i]
    local id = ids[i]
    if id ~= '-' then
      named[#named + 1] = first + i - 1
      named[#named + 1] = id
      counts[id] = (counts[id] or 0) + 1
    end
  end
  redis.call('HSET', entries, unpack(stored))
  if #named > 0 then
    redis.call('HSET', answer_of, unpack(named))
  end
end
for id, count in pairs(counts) do
  redis.call('HINCRBY', refs, id, count)
end
local at = 7
for _ = 1, tonumber(ARGV[6]) do
  redis.call('HSETNX', answers, ARGV[at] .. ':h', ARGV[at + 1])
  redis.call('HSETNX', answers, ARGV[at] .. ':b', ARGV[at + 2])
  at = at + 3
end
-- Prune: every entry numbered `limit` or more below the last.
local pruned = tonumber(redis.call('HGET', state, 'pruned') or 0)
local upto = last - limit
if upto > pruned then
  for start = pruned + 1, upto, CHUNK do
    local seqs = {}
    for seq = start, math.min(start + CHUNK - 1, upto) do
      seqs[#seqs + 1] = seq
    end
    drop(seqs)
  end
  redis.call('HSET', state, 'pruned', upto)
end
if redis.call('EXISTS', KEYS[6]) == 1 then
  redis.call('HSET', KEYS[6], 'ack', ARGV[3])
end
return last
