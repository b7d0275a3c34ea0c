-- Real-time view of ONE device: applies a batch of that device's frames atomically.
--
-- A frame is counted at most once: its device_timestamp goes into the "seen" zset with ZADD NX,
-- and a frame already there changes nothing. Frames more than dedup_horizon_ms older than the
-- newest device time seen are "stale": ignored by the view (the seen zset is trimmed to that
-- horizon, so a stale frame could no longer be recognised as a duplicate).
-- "Newest" is always decided by device time, never by arrival order.
--
-- The moving window of a metric holds its readings within window_ms of its newest reading (device
-- time). It is kept incrementally: a zset by time (to trim), a zset by value (min/max in O(log n)),
-- and a running sum that is recomputed exactly from the zset after as many changes as the window
-- holds (amortised O(1) per reading; bounds the rounding drift of adding and removing).
--
-- KEYS[1]  view hash    <prefix>:{<device>}:view
-- KEYS[2]  seen zset    <prefix>:{<device>}:seen
-- KEYS[1+2i] window by time  <prefix>:{<device>}:win:<metric i>   (score ts, member "ts:value")
-- KEYS[2+2i] window by value <prefix>:{<device>}:winv:<metric i>  (score value, same members)
-- for each metric name i = 1..M in ARGV
-- ARGV[1] device id, ARGV[2] window_ms, ARGV[3] dedup_horizon_ms, ARGV[4] updates channel,
-- ARGV[5] M = number of metric names, ARGV[6 .. 5+M] the metric names,
-- then F = number of frames, then per frame: device_ts, received_at, n, and n triples
-- (metric index 1..M, kind "n" numeric / "t" text, value text).
-- Returns {accepted, duplicates, stale}.

local view_key, seen_key = KEYS[1], KEYS[2]
local device_id = ARGV[1]
local window_ms = tonumber(ARGV[2])
local horizon_ms = tonumber(ARGV[3])
local channel = ARGV[4]
local metric_count = tonumber(ARGV[5])

local MAX = 1.7976931348623157e308
local PUBLISHED_STATS = {'current', 'current_ts', 'count', 'sum', 'mean', 'min', 'max', 'win_count',
  'win_mean', 'win_min', 'win_max'}
local UNPACK_CHUNK = 1000

-- Shortest decimal text that reads back as the same double (full precision, no noise digits).
local function num(x)
  local text = string.format('%.15g', x)
  if tonumber(text) == x then
    return text
  end
  text = string.format('%.16g', x)
  if tonumber(text) == x then
    return text
  end
  return string.format('%.17g', x)
end

local function in_range(x)
  return x > -MAX and x < MAX
end

-- A window sum out of range stays so until the exact recomputation replaces it.
local function add_to_window_sum(s, delta)
  if in_range(s.win_sum) then
    s.win_sum = s.win_sum + delta
  end
end

local function value_of(member)
  return tonumber(string.sub(member, string.find(member, ':', 1, true) + 1))
end

-- Mean of a list of finite numbers that stays finite even when their sum would not.
local function mean_of(values)
  local sum = 0
  for _, v in ipairs(values) do
    sum = sum + v
  end
  if in_range(sum) then
    return sum / #values
  end
  local mean = 0
  for k, v in ipairs(values) do
    mean = mean + (v / k - mean / k)
  end
  return mean
end

local names = {}
for i = 1, metric_count do
  names[i] = ARGV[5 + i]
end

local view = redis.call('HMGET', view_key, 'last_seen', 'last_device_ts', 'frame_count')
local last_seen = tonumber(view[1])
local newest = tonumber(view[2])
local frame_count = tonumber(view[3]) or 0

local stats = {}
local texts = {}
local touched = {}
local touched_order = {}

local function touch(i)
  if not touched[i] then
    touched[i] = true
    touched_order[#touched_order + 1] = i
  end
end

local function numeric_stats(i)
  local s = stats[i]
  if s then
    return s
  end
  local n = names[i]
  local v = redis.call('HMGET', view_key, n .. '.current', n .. '.current_ts', n .. '.count',
    n .. '.sum', n .. '.mean', n .. '.min', n .. '.max', n .. '.win_count', n .. '.win_sum', n .. '.win_ops')
  s = {current = tonumber(v[1]), current_ts = tonumber(v[2]), count = tonumber(v[3]) or 0,
    sum = tonumber(v[4]) or 0, mean = tonumber(v[5]), min = tonumber(v[6]), max = tonumber(v[7]),
    win_count = tonumber(v[8]) or 0, win_sum = tonumber(v[9]) or 0, win_ops = tonumber(v[10]) or 0}
  stats[i] = s
  return s
end

local function text_state(i)
  local t = texts[i]
  if t then
    return t
  end
  local n = names[i]
  local v = redis.call('HMGET', view_key, n .. '.last', n .. '.last_ts')
  t = {last = v[1] or nil, last_ts = tonumber(v[2])}
  texts[i] = t
  return t
end

-- A sum beyond the double range sticks at +-MAX; from then on the mean is updated incrementally
-- (which stays finite) instead of as sum / count.
local function add_number(i, ts, ts_text, x)
  local s = numeric_stats(i)
  s.count = s.count + 1
  local saturated = s.sum == MAX or s.sum == -MAX
  if not saturated then
    local sum = s.sum + x
    if sum >= MAX then
      sum, saturated = MAX, true
    elseif sum <= -MAX then
      sum, saturated = -MAX, true
    end
    s.sum = sum
  end
  if s.count == 1 then
    s.mean = x
  elseif saturated then
    s.mean = s.mean + (x / s.count - s.mean / s.count)
  else
    s.mean = s.sum / s.count
  end
  if s.min == nil or x < s.min then s.min = x end
  if s.max == nil or x > s.max then s.max = x end
  if s.current_ts == nil or ts >= s.current_ts then
    s.current = x
    s.current_ts = ts
  end
  if ts >= s.current_ts - window_ms then
    local member = ts_text .. ':' .. num(x)
    redis.call('ZADD', KEYS[1 + 2 * i], ts_text, member)
    redis.call('ZADD', KEYS[2 + 2 * i], num(x), member)
    s.win_count = s.win_count + 1
    add_to_window_sum(s, x)
    s.win_ops = s.win_ops + 1
  end
  touch(i)
end

local function set_text(i, ts, value)
  local t = text_state(i)
  if t.last_ts == nil or ts >= t.last_ts then
    t.last = value
    t.last_ts = ts
  end
  touch(i)
end

-- Drops readings older than current_ts - window_ms, then refreshes the window statistics.
local function refresh_window(i)
  local s = stats[i]
  local by_time, by_value = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local cutoff = '(' .. num(s.current_ts - window_ms)
  local old = redis.call('ZRANGEBYSCORE', by_time, '-inf', cutoff)
  if #old > 0 then
    for _, member in ipairs(old) do
      add_to_window_sum(s, -value_of(member))
    end
    s.win_count = s.win_count - #old
    s.win_ops = s.win_ops + #old
    redis.call('ZREMRANGEBYSCORE', by_time, '-inf', cutoff)
    for first = 1, #old, UNPACK_CHUNK do
      redis.call('ZREM', by_value, unpack(old, first, math.min(first + UNPACK_CHUNK - 1, #old)))
    end
  end

  if s.win_ops >= s.win_count or not in_range(s.win_sum) then
    local values = {}
    for _, member in ipairs(redis.call('ZRANGE', by_time, 0, -1)) do
      values[#values + 1] = value_of(member)
    end
    local sum = 0
    for _, v in ipairs(values) do
      sum = sum + v
    end
    s.win_count, s.win_ops = #values, 0
    if #values == 0 then
      s.win_sum, s.win_mean = 0, nil
    elseif in_range(sum) then
      s.win_sum, s.win_mean = sum, sum / #values
    else
      s.win_sum, s.win_mean = (sum > 0) and MAX or -MAX, mean_of(values)
    end
  else
    s.win_mean = s.win_sum / s.win_count
  end

  if s.win_count > 0 then
    s.win_min = tonumber(redis.call('ZRANGE', by_value, 0, 0, 'WITHSCORES')[2])
    s.win_max = tonumber(redis.call('ZRANGE', by_value, -1, -1, 'WITHSCORES')[2])
  end
end

local accepted, duplicates, stale = 0, 0, 0
local pos = 6 + metric_count
local frames = tonumber(ARGV[pos])
pos = pos + 1
for _ = 1, frames do
  local ts_text = ARGV[pos]
  local ts = tonumber(ts_text)
  local received_at = tonumber(ARGV[pos + 1])
  local n = tonumber(ARGV[pos + 2])
  pos = pos + 3
  if newest ~= nil and ts < newest - horizon_ms then
    stale = stale + 1
  elseif redis.call('ZADD', seen_key, 'NX', ts_text, ts_text) == 0 then
    duplicates = duplicates + 1
  else
    accepted = accepted + 1
    if newest == nil or ts > newest then newest = ts end
    if last_seen == nil or received_at > last_seen then last_seen = received_at end
    for k = 0, n - 1 do
      local i = tonumber(ARGV[pos + 3 * k])
      local value = ARGV[pos + 3 * k + 2]
      if ARGV[pos + 3 * k + 1] == 'n' then
        add_number(i, ts, ts_text, tonumber(value))
      else
        set_text(i, ts, value)
      end
    end
  end
  pos = pos + 3 * n
end

if accepted == 0 then
  return {accepted, duplicates, stale}
end

redis.call('ZREMRANGEBYSCORE', seen_key, '-inf', '(' .. num(newest - horizon_ms))
frame_count = frame_count + accepted

local fields = {'last_seen', num(last_seen), 'last_device_ts', num(newest), 'frame_count', num(frame_count)}
local json = {}

local function put(name, suffix, value)
  fields[#fields + 1] = name .. '.' .. suffix
  fields[#fields + 1] = value
end

for _, i in ipairs(touched_order) do
  local n = names[i]
  local s = stats[i]
  local t = texts[i]
  local parts = {}
  if s then
    refresh_window(i)
    for _, stat in ipairs(PUBLISHED_STATS) do
      local value = s[stat]
      if value ~= nil then
        local text = num(value)
        put(n, stat, text)
        parts[#parts + 1] = '"' .. stat .. '":' .. text
      end
    end
    put(n, 'win_sum', num(s.win_sum))
    put(n, 'win_ops', num(s.win_ops))
    if s.win_count == 0 then
      redis.call('HDEL', view_key, n .. '.win_mean', n .. '.win_min', n .. '.win_max')
    end
  end
  if t then
    put(n, 'last', t.last)
    put(n, 'last_ts', num(t.last_ts))
    parts[#parts + 1] = '"last":' .. cjson.encode(t.last) .. ',"last_ts":' .. num(t.last_ts)
  end
  json[#json + 1] = cjson.encode(n) .. ':{' .. table.concat(parts, ',') .. '}'
end

for first = 1, #fields, UNPACK_CHUNK do
  redis.call('HSET', view_key, unpack(fields, first, math.min(first + UNPACK_CHUNK - 1, #fields)))
end

local message = '{"device_id":' .. cjson.encode(device_id) .. ',"last_seen":' .. num(last_seen)
  .. ',"last_device_ts":' .. num(newest) .. ',"frame_count":' .. num(frame_count)
  .. ',"metrics":{' .. table.concat(json, ',') .. '}}'
redis.call('PUBLISH', channel .. ':' .. device_id, message)
redis.call('PUBLISH', channel, message)

return {accepted, duplicates, stale}
