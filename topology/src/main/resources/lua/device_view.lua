-- Real-time view of ONE device: applies a batch of that device's frames in one atomic step.
-- The contract (keys, fields, channels, update message) is docs/realtime-view.md.
--
-- Exactly-once effect: a frame is identified by its device_timestamp. It is counted only if that timestamp
-- is not yet in the device's "seen" set, and added to it by the same atomic script that updates the
-- statistics, so a re-delivery (Kafka or Storm replay, a device retry, a second topology after a failover)
-- finds it there and changes nothing. Every statistic is independent of arrival order: sums are exact
-- (below), "current" is the reading with the newest device time, count/min/max do not depend on order. So
-- the view is the same whatever the order and number of deliveries, within these limits:
-- * dedup horizon: a frame older than the device's newest device time minus dedup_horizon_ms is stale:
--   left out of the view and counted in stale_frames (seen only keeps that horizon, so such a frame could
--   no longer be told from a duplicate). It is never counted twice; it is missing if it first arrives
--   after a frame newer than it by more than the horizon.
-- * memory: seen holds 2 bytes per frame within the horizon plus about 90 bytes per 65.536 s of device
--   time with frames (a hash: field = device time div 65536 ms, value = the remainders as 2-byte
--   big-endian numbers, so a bucket is searched with a plain string.find at C speed).
-- * idle expiry (expiry_ms > 0): every key written gets that TTL; a device or window that expired starts
--   again from nothing, and frames replayed after that count again.
-- * the view is exactly as durable as the Redis data (persistence, replication, eviction).
--
-- Exact sums: a sum is kept as non-overlapping doubles ("partials") whose exact sum is the sum of the
-- readings (Shewchuk's algorithm, as Python's math.fsum); the mean is that sum correctly rounded, divided
-- by the count. A sum beyond the double range (readings near 1.8e308) cannot be kept so: it is marked "~"
-- and the mean is kept as a running mean, approximate but finite.
--
-- Moving window of a metric: its readings whose device time is within window_ms of the metric's newest
-- reading, both ends included. Two zsets with the same members "ts:value": by time (to trim) and by value
-- (min and max, looked up only when a reading equal to the current min or max leaves the window).
--
-- Numbers are written as the text they arrived in when they are readings (current, min, max), so most
-- fields need no formatting; derived ones (means) as the shortest text that reads back as the same double.
--
-- KEYS[1] view hash, KEYS[2] seen hash; KEYS[1+2i] and KEYS[2+2i] the window zsets by time and by value of
-- metric i = 1..M.
-- ARGV[1] device id, ARGV[2] window_ms, ARGV[3] dedup_horizon_ms, ARGV[4] expiry_ms (0 = keys never
-- expire), ARGV[5] updates channel, ARGV[6] M, ARGV[7 .. 6+M] the metric names, then F = number of
-- frames, then per frame: device_ts, received_at, n, and n triples (metric index 1..M, kind, value text)
-- with kind "n" number, "s" string, "b" boolean.
-- Returns {accepted, duplicates, stale}.

local call, tonumber, format, concat, unpack = redis.call, tonumber, string.format, table.concat, unpack

local view_key, seen_key = KEYS[1], KEYS[2]
local device_id = ARGV[1]
local window_ms = tonumber(ARGV[2])
local horizon_ms = tonumber(ARGV[3])
local expiry_ms = tonumber(ARGV[4])
local channel = ARGV[5]
local metric_count = tonumber(ARGV[6])
local frame_total = tonumber(ARGV[7 + metric_count])
local FIRST_FRAME = 8 + metric_count

local INF = math.huge
-- Beyond this magnitude an exact sum might leave the double range (partials add up to less than twice the
-- largest one), so the slow, checked path is taken.
local HUGE = 2 ^ 1000
local SATURATED = '~'
local UNPACK_CHUNK = 1000
-- A numeric metric's whole state in one internal field, "<metric>._state": these texts joined by '|'.
local STATE = {'count', 'sum_parts', 'mean', 'current', 'current_ts', 'min', 'max', 'win_count', 'win_sum_parts',
  'win_mean', 'win_min', 'win_max'}
local STATE_PATTERN = '^' .. string.rep('([^|]*)|', #STATE - 1) .. '([^|]*)$'
local TEXT_FIELDS = {'last', 'last_ts', 'last_type'}
local SEEN_BUCKET_MS = 65536
-- Beyond this many buckets between two horizon cutoffs, old buckets are found with HKEYS instead of by id.
local SEEN_TRIM_SCAN = 64

-- Shortest decimal text that reads back as the same double.
local function num(x)
  if x == math.floor(x) and x > -1e15 and x < 1e15 then
    return format('%d', x)
  end
  local text = format('%.15g', x)
  if tonumber(text) == x then
    return text
  end
  text = format('%.16g', x)
  if tonumber(text) == x then
    return text
  end
  return format('%.17g', x)
end

local function finite(x)
  return x == x and x > -INF and x < INF
end

local function value_of(member)
  return tonumber(string.sub(member, string.find(member, ':', 1, true) + 1))
end

-- Exact sums ---------------------------------------------------------------------------------------------

-- Adds x to the partials p in place; false when a partial left the double range (p is then unusable).
local function add_exact(p, x)
  local kept, old = 0, #p
  for j = 1, old do
    local y = p[j]
    if math.abs(x) < math.abs(y) then
      x, y = y, x
    end
    local hi = x + y
    local lo = y - (hi - x)
    if lo ~= 0 then
      kept = kept + 1
      p[kept] = lo
    end
    x = hi
  end
  for j = old, kept + 1, -1 do
    p[j] = nil
  end
  if x ~= 0 then
    p[kept + 1] = x
  end
  return finite(x)
end

-- The exact sum of the partials, correctly rounded (half to even).
local function rounded(p)
  local k = #p
  if k == 0 then
    return 0
  end
  local hi, lo = p[k], 0
  k = k - 1
  while k >= 1 do
    local x, y = hi, p[k]
    hi = x + y
    lo = y - (hi - x)
    if lo ~= 0 then
      break
    end
    k = k - 1
  end
  if k > 1 and ((lo < 0 and p[k - 1] < 0) or (lo > 0 and p[k - 1] > 0)) then
    local y = lo * 2
    local x = hi + y
    if y == x - hi then
      hi = x
    end
  end
  return hi
end

local function parse_parts(text)
  local p, from = {}, 1
  if text == nil or text == '' then
    return p
  end
  while true do
    local space = string.find(text, ' ', from, true)
    p[#p + 1] = tonumber(string.sub(text, from, space and space - 1))
    if not space then
      return p
    end
    from = space + 1
  end
end

-- Exact text of a partial: a whole number as such, anything else with 17 significant digits.
local function part_text(x)
  if x == math.floor(x) and x > -1e15 and x < 1e15 then
    return format('%d', x)
  end
  return format('%.17g', x)
end

local function format_parts(p)
  if #p <= 1 then
    return p[1] and part_text(p[1]) or ''
  end
  local out = {}
  for j = 1, #p do
    out[j] = part_text(p[j])
  end
  return concat(out, ' ')
end

-- Mean of finite numbers that stays finite even when their sum would not.
local function running_mean(values)
  local mean = 0
  for k, v in ipairs(values) do
    mean = mean + (v / k - mean / k)
  end
  return mean
end

-- Reading the state ------------------------------------------------------------------------------------

local names = {}
for i = 1, metric_count do
  names[i] = ARGV[6 + i]
end

-- Which metrics the batch holds numbers or texts for, so that one HMGET reads just the fields needed.
local numeric_in_batch, text_in_batch = {}, {}
local bucket_ids, bucket_fields = {}, {}
local pos = FIRST_FRAME
for _ = 1, frame_total do
  local bucket = math.floor(tonumber(ARGV[pos]) / SEEN_BUCKET_MS)
  if not bucket_ids[bucket] then
    bucket_ids[bucket] = true
    bucket_fields[#bucket_fields + 1] = format('%d', bucket)
  end
  local n = tonumber(ARGV[pos + 2])
  for at = pos + 3, pos + 3 * n, 3 do
    if ARGV[at + 1] == 'n' then
      numeric_in_batch[tonumber(ARGV[at])] = true
    else
      text_in_batch[tonumber(ARGV[at])] = true
    end
  end
  pos = pos + 3 + 3 * n
end

local fields = {'last_seen', 'last_device_ts', 'frame_count', 'stale_frames'}
local numeric_at, text_at = {}, {}
for i = 1, metric_count do
  local n = names[i]
  if numeric_in_batch[i] then
    fields[#fields + 1] = n .. '._state'
    numeric_at[i] = #fields
  end
  if text_in_batch[i] then
    text_at[i] = #fields
    for _, f in ipairs(TEXT_FIELDS) do
      fields[#fields + 1] = n .. '.' .. f
    end
  end
end
local stored = call('HMGET', view_key, unpack(fields))

-- The seen buckets the batch's frames fall in: bucket id -> packed remainders ('' when none yet).
local buckets = {}
local stored_buckets = #bucket_fields > 0 and call('HMGET', seen_key, unpack(bucket_fields)) or {}
for k, field in ipairs(bucket_fields) do
  buckets[field] = stored_buckets[k] or ''
end

local last_seen = tonumber(stored[1])
local newest = tonumber(stored[2])
local old_last_seen, old_newest = last_seen, newest
local frame_count = tonumber(stored[3]) or 0
local stale_frames = tonumber(stored[4]) or 0

-- Per numeric metric: numbers in s, their texts in s.text (the stored ones until a value changes).
local stats, texts = {}, {}

local function present(text)
  return text ~= '' and text or nil
end

local function load_numeric(i)
  local count, sum_parts, mean, current, current_ts, min, max, win_count, win_sum_parts, win_mean, win_min, win_max
  local state = stored[numeric_at[i]]
  if state then
    count, sum_parts, mean, current, current_ts, min, max, win_count, win_sum_parts, win_mean, win_min, win_max =
      string.match(state, STATE_PATTERN)
  end
  local text = {count = present(count), mean = present(mean), current = present(current),
    current_ts = present(current_ts), min = present(min), max = present(max), win_count = present(win_count),
    win_sum_parts = win_sum_parts, win_mean = present(win_mean), win_min = present(win_min),
    win_max = present(win_max)}
  local saturated = sum_parts == SATURATED
  local ts, lo, hi, n = tonumber(current_ts), tonumber(min), tonumber(max), tonumber(win_count) or 0
  local win_lo, win_hi = tonumber(win_min), tonumber(win_max)
  -- Every field set here, so that the table never grows; old_* are the values as loaded (only changes are
  -- written back).
  return {text = text, count = tonumber(count) or 0, current_ts = ts, mean = tonumber(mean), min = lo, max = hi,
    win_count = n, win_min = win_lo, win_max = win_hi, saturated = saturated, pending = {}, win_changed = false,
    parts = saturated and {} or parse_parts(sum_parts),
    win_parts = win_sum_parts ~= SATURATED and parse_parts(win_sum_parts) or false,
    old_current_ts = ts, old_min = lo, old_max = hi, old_win_count = n, old_win_min = win_lo, old_win_max = win_hi}
end

-- With idle expiry, a metric's window zsets can expire while the hash, kept alive by other metrics, still
-- describes them: the window then restarts from what its zsets hold.
local function rebuild_window(s, i)
  local p, lo, hi = {}, nil, nil
  local members = call('ZRANGE', KEYS[1 + 2 * i], 0, -1)
  for _, member in ipairs(members) do
    local v = value_of(member)
    add_exact(p, v)
    if lo == nil or v < lo then lo = v end
    if hi == nil or v > hi then hi = v end
  end
  s.win_count, s.win_parts, s.win_changed = #members, p, true
  s.win_min, s.win_max = lo, hi
  s.text.win_min, s.text.win_max = lo and num(lo), hi and num(hi)
end

for i = 1, metric_count do
  if numeric_at[i] then
    local s = load_numeric(i)
    if expiry_ms > 0 and s.win_count > 0 and call('ZCARD', KEYS[1 + 2 * i]) ~= s.win_count then
      rebuild_window(s, i)
    end
    stats[i] = s
  end
  if text_at[i] then
    local at = text_at[i]
    texts[i] = {last = stored[at + 1] or nil, last_ts = tonumber(stored[at + 2]), last_type = stored[at + 3] or nil}
  end
end

-- Applying readings --------------------------------------------------------------------------------------

local touched, touched_order = {}, {}

local function touch(i)
  if not touched[i] then
    touched[i] = true
    touched_order[#touched_order + 1] = i
  end
end

-- Adds x to the exact all-time sum; on overflow switches to a running mean, starting from the mean so far.
local function add_to_sum(s, x)
  if s.saturated then
    s.mean = s.mean + (x / s.count - s.mean / s.count)
    return
  end
  local p = s.parts
  if math.abs(x) < HUGE and math.abs(p[#p] or 0) < HUGE then
    add_exact(p, x)
    return
  end
  local copy = {unpack(p)}
  if add_exact(copy, x) then
    s.parts = copy
  else
    local before = s.count > 1 and rounded(p) / (s.count - 1) or x
    s.saturated, s.parts = true, {}
    s.mean = before + (x / s.count - before / s.count)
  end
end

-- Counts a reading; it joins the window (if recent enough) once the batch's newest reading is known.
local function add_number(i, ts, ts_text, x, x_text)
  local s, text = stats[i], stats[i].text
  s.count = s.count + 1
  add_to_sum(s, x)
  if s.min == nil or x < s.min then s.min, text.min = x, x_text end
  if s.max == nil or x > s.max then s.max, text.max = x, x_text end
  if s.current_ts == nil or ts > s.current_ts then
    s.current_ts, text.current, text.current_ts = ts, x_text, ts_text
  end
  local pending = s.pending
  pending[#pending + 1] = ts
  pending[#pending + 1] = ts_text
  pending[#pending + 1] = x
  pending[#pending + 1] = x_text
  touch(i)
end

local function set_text(i, ts, value, kind)
  local t = texts[i]
  if t.last_ts == nil or ts > t.last_ts then
    t.last, t.last_ts, t.last_type, t.changed = value, ts, kind == 'b' and 'boolean' or 'string', true
  end
  touch(i)
end

-- True when the 2-byte needle sits at an even offset of the bucket (a remainder already seen).
local function bucket_holds(bucket, needle)
  local from = 1
  while true do
    local at = string.find(bucket, needle, from, true)
    if not at then
      return false
    end
    if at % 2 == 1 then
      return true
    end
    from = at + 1
  end
end

local changed_buckets = {}

-- Adds ts to seen unless it is there; false for a duplicate.
local function first_sight(ts)
  local bucket = math.floor(ts / SEEN_BUCKET_MS)
  local field = format('%d', bucket)
  local remainder = ts - bucket * SEEN_BUCKET_MS
  local needle = string.char(math.floor(remainder / 256), remainder % 256)
  if bucket_holds(buckets[field], needle) then
    return false
  end
  buckets[field] = buckets[field] .. needle
  changed_buckets[field] = true
  return true
end

local accepted, duplicates, stale = 0, 0, 0
-- The device's newest device time before this batch's first counted frame (or that frame's own).
local first_newest
pos = FIRST_FRAME
for _ = 1, frame_total do
  local ts_text = ARGV[pos]
  local ts = tonumber(ts_text)
  local n = tonumber(ARGV[pos + 2])
  if newest ~= nil and ts < newest - horizon_ms then
    stale = stale + 1
  elseif not first_sight(ts) then
    duplicates = duplicates + 1
  else
    accepted = accepted + 1
    local received_at = tonumber(ARGV[pos + 1])
    first_newest = first_newest or newest or ts
    if newest == nil or ts > newest then newest = ts end
    if last_seen == nil or received_at > last_seen then last_seen = received_at end
    for at = pos + 3, pos + 3 * n, 3 do
      local i, kind, value = tonumber(ARGV[at]), ARGV[at + 1], ARGV[at + 2]
      if kind == 'n' then
        add_number(i, ts, ts_text, tonumber(value), value)
      else
        set_text(i, ts, value, kind)
      end
    end
  end
  pos = pos + 3 + 3 * n
end

if accepted == 0 then
  if stale > 0 then
    call('HSET', view_key, 'stale_frames', num(stale_frames + stale))
  end
  return {accepted, duplicates, stale}
end

-- Window upkeep ------------------------------------------------------------------------------------------

local function window_extreme(s, by_value, rank, stat)
  local found = call('ZRANGE', by_value, rank, rank, 'WITHSCORES')
  local value = tonumber(found[2])
  s[stat], s.text[stat] = value, value and num(value)
end

local function add_chunked(key, args)
  for first = 1, #args, UNPACK_CHUNK do
    call('ZADD', key, unpack(args, first, math.min(first + UNPACK_CHUNK - 1, #args)))
  end
end

-- Adds the batch's readings that fall within the window of the metric's newest reading, in one ZADD per zset.
local function enter_window(s, i)
  local text, pending, cutoff = s.text, s.pending, s.current_ts - window_ms
  local by_time, by_value = {}, {}
  for k = 1, #pending, 4 do
    local ts, ts_text, x, x_text = pending[k], pending[k + 1], pending[k + 2], pending[k + 3]
    if ts >= cutoff then
      local member = ts_text .. ':' .. x_text
      by_time[#by_time + 1] = ts_text
      by_time[#by_time + 1] = member
      by_value[#by_value + 1] = x_text
      by_value[#by_value + 1] = member
      s.win_count = s.win_count + 1
      if s.win_parts and not add_exact(s.win_parts, x) then
        s.win_parts = nil
      end
      if s.win_min == nil or x < s.win_min then s.win_min, text.win_min = x, x_text end
      if s.win_max == nil or x > s.win_max then s.win_max, text.win_max = x, x_text end
    end
  end
  if #by_time > 0 then
    add_chunked(KEYS[1 + 2 * i], by_time)
    add_chunked(KEYS[2 + 2 * i], by_value)
    s.win_changed = true
  end
end

-- Drops the readings now older than the window; looks min and max up again only when one of them left.
local function trim_window(s, i)
  local by_time, by_value = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local cutoff = '(' .. num(s.current_ts - window_ms)
  local old = call('ZRANGEBYSCORE', by_time, '-inf', cutoff)
  if #old == 0 then
    return
  end
  local min_left, max_left = false, false
  for _, member in ipairs(old) do
    local v = value_of(member)
    if s.win_parts and not add_exact(s.win_parts, -v) then
      s.win_parts = nil
    end
    min_left = min_left or v == s.win_min
    max_left = max_left or v == s.win_max
  end
  s.win_count, s.win_changed = s.win_count - #old, true
  call('ZREMRANGEBYSCORE', by_time, '-inf', cutoff)
  for first = 1, #old, UNPACK_CHUNK do
    call('ZREM', by_value, unpack(old, first, math.min(first + UNPACK_CHUNK - 1, #old)))
  end
  if min_left then window_extreme(s, by_value, 0, 'win_min') end
  if max_left then window_extreme(s, by_value, -1, 'win_max') end
end

-- The window mean; a window sum that left the double range is recomputed from the zset.
local function window_mean(s, i)
  if s.win_parts then
    return rounded(s.win_parts) / s.win_count
  end
  local values = {}
  for _, member in ipairs(call('ZRANGE', KEYS[1 + 2 * i], 0, -1)) do
    values[#values + 1] = value_of(member)
  end
  local p = {}
  for _, v in ipairs(values) do
    if not add_exact(p, v) then
      return running_mean(values)
    end
  end
  s.win_parts = p
  return rounded(p) / #values
end

-- Writing and publishing ---------------------------------------------------------------------------------

local out = {'frame_count', num(frame_count + accepted)}

local function put(name, stat, text)
  out[#out + 1] = name .. '.' .. stat
  out[#out + 1] = text
end

if stale > 0 then
  out[#out + 1] = 'stale_frames'
  out[#out + 1] = num(stale_frames + stale)
end
if last_seen ~= old_last_seen then
  out[#out + 1] = 'last_seen'
  out[#out + 1] = num(last_seen)
end
-- Writes the changed seen buckets, then drops the buckets wholly older than the horizon. A bucket is only
-- ever written for frames within the horizon of the newest frame then, and every call drops the buckets
-- from its first cutoff's to its last one's, so every older bucket lies between those two. Entries older
-- than the horizon in the cutoff's own bucket stay: they are never looked at, such frames being stale
-- first.
local function update_seen()
  local writes = {}
  for field in pairs(changed_buckets) do
    writes[#writes + 1] = field
    writes[#writes + 1] = buckets[field]
  end
  for first = 1, #writes, UNPACK_CHUNK do
    call('HSET', seen_key, unpack(writes, first, math.min(first + UNPACK_CHUNK - 1, #writes)))
  end
  if newest == first_newest then
    return
  end
  local from = math.floor((first_newest - horizon_ms) / SEEN_BUCKET_MS)
  local to = math.floor((newest - horizon_ms) / SEEN_BUCKET_MS)
  local old = {}
  if to - from <= SEEN_TRIM_SCAN then
    for bucket = from, to - 1 do
      old[#old + 1] = format('%d', bucket)
    end
  else
    for _, field in ipairs(call('HKEYS', seen_key)) do
      if tonumber(field) < to then
        old[#old + 1] = field
      end
    end
  end
  for first = 1, #old, UNPACK_CHUNK do
    call('HDEL', seen_key, unpack(old, first, math.min(first + UNPACK_CHUNK - 1, #old)))
  end
end

update_seen()
if newest ~= old_newest then
  out[#out + 1] = 'last_device_ts'
  out[#out + 1] = num(newest)
end

local function json_or_null(text)
  return text or 'null'
end

local function joined_state(text)
  return text.count .. '|' .. text.sum_parts .. '|' .. text.mean .. '|' .. text.current .. '|' .. text.current_ts
    .. '|' .. text.min .. '|' .. text.max .. '|' .. (text.win_count or '0') .. '|' .. (text.win_sum_parts or '')
    .. '|' .. (text.win_mean or '') .. '|' .. (text.win_min or '') .. '|' .. (text.win_max or '')
end

-- Writes what changed of a numeric metric (its public fields) and its state; returns its JSON members.
local function numeric_update(n, s, i)
  local text = s.text
  enter_window(s, i)
  if s.current_ts ~= s.old_current_ts then
    trim_window(s, i)
    put(n, 'current', text.current)
    put(n, 'current_ts', text.current_ts)
  end
  text.count = num(s.count)
  text.mean = num(s.saturated and s.mean or rounded(s.parts) / s.count)
  text.sum_parts = s.saturated and SATURATED or format_parts(s.parts)
  put(n, 'count', text.count)
  put(n, 'mean', text.mean)
  if s.min ~= s.old_min then put(n, 'min', text.min) end
  if s.max ~= s.old_max then put(n, 'max', text.max) end

  if s.win_changed then
    text.win_sum_parts = s.win_parts and format_parts(s.win_parts) or SATURATED
    if s.win_count ~= s.old_win_count then
      text.win_count = num(s.win_count)
      put(n, 'win_count', text.win_count)
    end
    if s.win_count > 0 then
      text.win_mean = num(window_mean(s, i))
      put(n, 'win_mean', text.win_mean)
      if s.win_min ~= s.old_win_min then put(n, 'win_min', text.win_min) end
      if s.win_max ~= s.old_win_max then put(n, 'win_max', text.win_max) end
    else
      text.win_mean, text.win_min, text.win_max = nil, nil, nil
      call('HDEL', view_key, n .. '.win_mean', n .. '.win_min', n .. '.win_max')
    end
  end
  put(n, '_state', joined_state(text))
  if expiry_ms > 0 then
    call('PEXPIRE', KEYS[1 + 2 * i], num(expiry_ms))
    call('PEXPIRE', KEYS[2 + 2 * i], num(expiry_ms))
  end
  return '"current":' .. text.current .. ',"current_ts":' .. text.current_ts .. ',"count":' .. text.count
    .. ',"mean":' .. text.mean .. ',"min":' .. text.min .. ',"max":' .. text.max
    .. ',"window":{"mean":' .. json_or_null(text.win_mean) .. ',"min":' .. json_or_null(text.win_min)
    .. ',"max":' .. json_or_null(text.win_max) .. ',"count":' .. (text.win_count or '0') .. '}'
end

-- Writes a non-numeric metric's last value if it changed; returns its JSON members (a boolean as a literal).
local function text_update(n, t)
  local ts_text = num(t.last_ts)
  if t.changed then
    put(n, 'last', t.last)
    put(n, 'last_ts', ts_text)
    put(n, 'last_type', t.last_type)
  end
  local literal = t.last_type == 'boolean' and (t.last == 'true' or t.last == 'false')
  return '"last":' .. (literal and t.last or cjson.encode(t.last)) .. ',"last_ts":' .. ts_text
end

-- Metric names are letters, digits, '_', '-' and '.' (the protocol's rule): no JSON escaping needed.
local json = {}
for _, i in ipairs(touched_order) do
  local n = names[i]
  local parts = {}
  local s, t = stats[i], texts[i]
  if s and s.count > 0 then
    parts[#parts + 1] = numeric_update(n, s, i)
  end
  if t and t.last_ts then
    parts[#parts + 1] = text_update(n, t)
  end
  json[#json + 1] = '"' .. n .. '":{' .. concat(parts, ',') .. '}'
end

for first = 1, #out, UNPACK_CHUNK do
  call('HSET', view_key, unpack(out, first, math.min(first + UNPACK_CHUNK - 1, #out)))
end
if expiry_ms > 0 then
  call('PEXPIRE', view_key, num(expiry_ms))
  call('PEXPIRE', seen_key, num(expiry_ms))
end

local message = '{"device_id":' .. cjson.encode(device_id) .. ',"last_seen":' .. num(last_seen)
  .. ',"last_device_ts":' .. num(newest) .. ',"frame_count":' .. num(frame_count + accepted)
  .. ',"metrics":{' .. concat(json, ',') .. '}}'
call('PUBLISH', channel .. ':' .. device_id, message)
call('PUBLISH', channel, message)

return {accepted, duplicates, stale}
