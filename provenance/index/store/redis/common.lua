-- Shared by all scripts. ARGV[1] prefix, ARGV[2] load (entries per bucket), ARGV[3] spill bytes.
--
-- A multimap is a linear hash table (Litwin): `size` = 2^L buckets, of which
-- the first `next` are already split in two; key k lives in bucket k mod 2^L,
-- or in k mod 2^(L+1) when k mod 2^L is below `next`. Bucket `next` splits
-- whenever the map averages more than LOAD entries per bucket. An entry is the
-- key's field (k div 2^shift, 4 - shift/8 bytes: `<map>:shift` low bits of
-- the key are those of the bucket's number, since L >= shift) and an id (4
-- bytes), little-endian; id 0 marks a key whose other ids are in
-- `<map>:x:<key>`. Entries are found with string.find, at offsets that are
-- multiples of the entry's size (a field's bytes may also straddle two entries).
local P = ARGV[1]
local LOAD = tonumber(ARGV[2])
local SPILL = tonumber(ARGV[3])
local META = P .. 'meta'
local MARK = '\0\0\0\0'
local maps = {}

local function map(kind)
  local m = maps[kind]
  if m then return m end
  local v = redis.call('HMGET', META, kind .. ':size', kind .. ':next', kind .. ':fields', kind .. ':shift')
  local w = 4 - tonumber(v[4]) / 8
  m = {kind = kind, size = tonumber(v[1]), next = tonumber(v[2]), fields = tonumber(v[3]), dirty = false,
    shift = tonumber(v[4]), unit = 2 ^ tonumber(v[4]), w = w, stride = w + 4, fmt = '<I' .. w}
  maps[kind] = m
  return m
end

local function save_maps()
  local changed = false
  for kind, m in pairs(maps) do
    if m.dirty then
      redis.call('HSET', META, kind .. ':size', m.size, kind .. ':next', m.next, kind .. ':fields', m.fields)
      changed = true
    end
  end
  if changed then redis.call('HINCRBY', META, 'writes', 1) end
end

local function bucket_of(m, k)
  local b = k % m.size
  if b < m.next then b = k % (2 * m.size) end
  return b
end

local function bucket_key(m, b) return P .. m.kind .. ':' .. b end
local function xkey(m, k) return P .. m.kind .. ':x:' .. k end
-- what an entry keeps of key k: the bits its bucket's number does not give
local function field(m, k) return struct.pack(m.fmt, math.floor(k / m.unit)) end
local function key_at(m, data, j, b) return struct.unpack(m.fmt, data, j) * m.unit + b % m.unit end

local function put(key, value)
  if value == '' then redis.call('DEL', key) else redis.call('SET', key, value) end
end

-- offset of the first occurrence of `piece` at a multiple of `stride` in s, or nil
local function find_aligned(s, piece, stride, from)
  while true do
    local at = string.find(s, piece, from, true)
    if not at then return nil end
    if (at - 1) % stride == 0 then return at end
    from = at + 1
  end
end

-- `placed`: the writer has already moved the entries
local function split(m, placed)
  local old = m.next
  local data = not placed and redis.call('GET', bucket_key(m, old))
  if data then
    local keep, move, mod, s = {}, {}, 2 * m.size, m.stride
    for j = 1, #data, s do
      local to = (key_at(m, data, j, old) % mod == old) and keep or move
      to[#to + 1] = string.sub(data, j, j + s - 1)
    end
    put(bucket_key(m, old), table.concat(keep))
    put(bucket_key(m, old + m.size), table.concat(move))
  end
  m.next = old + 1
  if m.next == m.size then
    m.size = m.size * 2
    m.next = 0
  end
end

-- Moves the ids of bucket b's most repeated keys to their own strings until it is half as long.
local function spill(m, b)
  local data = redis.call('GET', bucket_key(m, b))
  local s, w = m.stride, m.w
  local count, order = {}, {}
  for j = 1, #data, s do
    local f = string.sub(data, j, j + w - 1)
    if count[f] then count[f] = count[f] + 1 else count[f], order[#order + 1] = 1, f end
  end
  table.sort(order, function(x, y) return count[x] > count[y] or (count[x] == count[y] and x < y) end)
  local out, bytes, moved = {}, #data, {}
  for _, f in ipairs(order) do
    if bytes <= SPILL / 2 or count[f] < 3 then break end
    out[f], moved[#moved + 1] = {}, f
    bytes = bytes - s * (count[f] - 1)
  end
  if #moved == 0 then return end
  local keep = {}
  for j = 1, #data, s do
    local ids = out[string.sub(data, j, j + w - 1)]
    local pid = string.sub(data, j + w, j + s - 1)
    if not ids then keep[#keep + 1] = string.sub(data, j, j + s - 1)
    elseif pid ~= MARK then ids[#ids + 1] = pid end
  end
  for _, f in ipairs(moved) do
    redis.call('APPEND', xkey(m, struct.unpack(m.fmt, f) * m.unit + b % m.unit), table.concat(out[f]))
    keep[#keep + 1] = f .. MARK
  end
  m.fields = m.fields - (#data / s - #keep)
  m.dirty = true
  redis.call('SET', bucket_key(m, b), table.concat(keep))
end

local function append(m, b, entries)
  if redis.call('APPEND', bucket_key(m, b), entries) > SPILL then spill(m, b) end
end

-- the ids of key k in its bucket's data, packed, added to `out`
local function ids_in(m, data, k, out)
  if not data then return end
  local f, s, w = field(m, k), m.stride, m.w
  local at = find_aligned(data, f, s, 1)
  while at do
    local pid = string.sub(data, at + w, at + s - 1)
    if pid == MARK then
      local x = redis.call('GET', xkey(m, k))
      if x then out[#out + 1] = x end
    else
      out[#out + 1] = pid
    end
    at = find_aligned(data, f, s, at + s)
  end
end

local function mm_get(kind, k)
  local m = map(kind)
  local out = {}
  ids_in(m, redis.call('GET', bucket_key(m, bucket_of(m, k))), k, out)
  return table.concat(out)
end

local function grow(m, entries, placed)
  m.fields = m.fields + entries
  m.dirty = true
  while m.fields > LOAD * (m.size + m.next) do split(m, placed) end
end

local function mm_add(kind, k, pid)
  local m = map(kind)
  grow(m, 1)
  append(m, bucket_of(m, k), field(m, k) .. pid)
end

local function without(s, piece, stride)
  local at = find_aligned(s, piece, stride, 1)
  if not at then return nil end
  return string.sub(s, 1, at - 1) .. string.sub(s, at + #piece)
end

local function mm_remove(kind, k, pid)
  local m = map(kind)
  local key, f = bucket_key(m, bucket_of(m, k)), field(m, k)
  local data = redis.call('GET', key)
  if not data then return end
  local rest = without(data, f .. pid, m.stride)
  if not rest then
    local x = redis.call('GET', xkey(m, k))
    local xrest = x and without(x, pid, 4)
    if xrest ~= '' then
      if xrest then redis.call('SET', xkey(m, k), xrest) end
      return
    end
    redis.call('DEL', xkey(m, k))
    rest = without(data, f .. MARK, m.stride)
    if not rest then return end
  end
  put(key, rest)
  m.fields = m.fields - 1
  m.dirty = true
end

-- A record's fields at the (1-based) offsets codec.py gives: see codec.py for the layout.
local function record_url(rec)
  local n = struct.unpack('<I4', rec, ${URL_LEN})
  if n == ${NONE_LEN} then return nil end
  return string.sub(rec, ${URL}, ${URL} - 1 + n)
end

local function record_sizes(rec)
  return struct.unpack('<I4', rec, ${BAND_COUNT}), struct.unpack('<I4', rec, ${TEXT_LEN})  -- band keys, text bytes
end

-- the content key's 8 bytes, as they are compared
local function content_key(rec) return string.sub(rec, ${CONTENT_KEY}, ${CONTENT_KEY} + 7) end

local function ids_of(packed)
  local out = {}
  if packed then
    for i = 1, #packed, 4 do out[#out + 1] = string.sub(packed, i, i + 3) end
  end
  return out
end

-- the earlier of two date blocks of ${DATE_BYTES} bytes, and whether it is the second (the first on a tie)
local function earliest(rec_a, at_a, rec_b, at_b)
  local fa, sa, ua = struct.unpack('<BdI4', rec_a, at_a)
  local fb, sb, ub = struct.unpack('<BdI4', rec_b, at_b)
  if fb ~= 0 and (fa == 0 or sb < sa or (sb == sa and ub < ua)) then
    return string.sub(rec_b, at_b, at_b + ${DATE_BYTES} - 1), true
  end
  return string.sub(rec_a, at_a, at_a + ${DATE_BYTES} - 1), false
end

-- published as a sorted-set score, or nil
local function published(rec)
  local flag, secs, micros = struct.unpack('<BdI4', rec, ${PUBLISHED})
  if flag == 0 then return nil end
  return secs + micros / 1e6
end

-- the earliest dates of the stored record `rec_a` (article `id`) and of `rec_b` kept in `rec_a`
local function merge_dates(id, rec_a, rec_b)
  local pub, pub_changed = earliest(rec_a, ${PUBLISHED}, rec_b, ${PUBLISHED})
  local first, first_changed = earliest(rec_a, ${FIRST_SEEN}, rec_b, ${FIRST_SEEN})
  if pub_changed or first_changed then
    local merged_rec = string.sub(rec_a, 1, ${PUBLISHED} - 1) .. pub .. first .. string.sub(rec_a, ${CONTENT_KEY})
    redis.call('SET', P .. 'a:' .. id, merged_rec)
    if pub_changed then redis.call('ZADD', P .. 'pub', published(merged_rec), struct.pack('<I4', id)) end
  end
end
