-- The control state's changes, each atomic: it moves the version, and notes that the worker making it has
-- seen the new version. Called as control.lua with
--   KEYS: state, sessions, counters, entries, answer_of, answers, refs, the calling worker's key
--   ARGV: operation, then its arguments (below); times are the caller's unix seconds.
-- Returns {version, result}.
local state, sessions, counters = KEYS[1], KEYS[2], KEYS[3]
local op = ARGV[1]

local function drop_counters(prefix)
  local n = string.len(prefix)
  local gone = {}
  for _, scope in ipairs(redis.call('HKEYS', counters)) do
    if string.sub(scope, 1, n) == prefix then
      table.insert(gone, scope)
    end
  end
  for i = 1, #gone, 500 do
    redis.call('HDEL', counters, unpack(gone, i, math.min(i + 499, #gone)))
  end
end

local function expire(now)
  local dropped = 0
  local flat = redis.call('HGETALL', sessions)
  for i = 1, #flat, 2 do
    local expires = cjson.decode(flat[i + 1])['expires']
    if expires ~= nil and expires ~= cjson.null and expires <= now then
      redis.call('HDEL', sessions, flat[i])
      drop_counters(flat[i] .. '|')
      dropped = dropped + 1
    end
  end
  return dropped
end

local function bump()
  local version = redis.call('HINCRBY', state, 'version', 1)
  if redis.call('EXISTS', KEYS[8]) == 1 then
    redis.call('HSET', KEYS[8], 'seen', version)
  end
  return version
end

if redis.call('HEXISTS', state, 'epoch') == 0 then
  if op ~= 'seed' then
    return redis.error_reply('NOSTATE the shared state is not there (Redis was emptied); it is being written again')
  end
  -- seed: epoch, version, active, clock, reloads, flush, then id, record pairs of the sessions
  redis.call('HSET', state, 'epoch', ARGV[2], 'version', ARGV[3], 'active', ARGV[4], 'clock', ARGV[5],
    'reloads', ARGV[6], 'flush', math.max(tonumber(redis.call('HGET', state, 'flush') or 0), tonumber(ARGV[7])))
  redis.call('DEL', sessions)
  for i = 8, #ARGV, 2 do
    redis.call('HSET', sessions, ARGV[i], ARGV[i + 1])
  end
  return {tonumber(ARGV[3]), 1}
end

if op == 'seed' then
  return {tonumber(redis.call('HGET', state, 'version')), 0}
elseif op == 'active' then
  redis.call('HSET', state, 'active', ARGV[2])
  drop_counters('-|')
  return {bump(), 1}
elseif op == 'clock' then
  redis.call('HSET', state, 'clock', ARGV[2])
  return {bump(), 1}
elseif op == 'reload' then
  local reloads = redis.call('HINCRBY', state, 'reloads', 1)
  return {bump(), reloads}
elseif op == 'put_session' then
  -- id, scenario and clock (JSON), now, ttl ('' for none), most sessions, restart ('1' or '0')
  local id, now = ARGV[2], tonumber(ARGV[5])
  expire(now)
  local old = redis.call('HGET', sessions, id)
  local created = now
  if old then
    created = cjson.decode(old)['created']
  elseif redis.call('HLEN', sessions) >= tonumber(ARGV[7]) then
    return redis.error_reply('TOOMANYSESSIONS')
  end
  local expires = cjson.null
  if ARGV[6] ~= '' then
    expires = now + tonumber(ARGV[6])
  end
  local record = {scenario = cjson.decode(ARGV[3]), clock = cjson.decode(ARGV[4]), created = created, expires = expires}
  redis.call('HSET', sessions, id, cjson.encode(record))
  if ARGV[8] == '1' then
    drop_counters(id .. '|')
  end
  return {bump(), redis.call('HGET', sessions, id)}
elseif op == 'delete_session' then
  local existed = redis.call('HDEL', sessions, ARGV[2])
  drop_counters(ARGV[2] .. '|')
  return {bump(), existed}
elseif op == 'expire' then
  local dropped = expire(tonumber(ARGV[2]))
  if dropped == 0 then
    return {tonumber(redis.call('HGET', state, 'version')), 0}
  end
  return {bump(), dropped}
elseif op == 'reset' then
  redis.call('HSET', state, 'active', 'null', 'clock', 'null')
  redis.call('DEL', sessions, counters, KEYS[4], KEYS[5], KEYS[6], KEYS[7])
  return {bump(), 1}
end
return redis.error_reply('UNKNOWNOP operation ' .. op)
