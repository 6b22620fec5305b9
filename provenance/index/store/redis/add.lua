-- ARGV[4..6] what the writer saw: next_id, writes, the band map's shift; ARGV[7] band entries in
-- the buckets the writer expects (each the field and an id: next_id + the article's place in the
-- batch for the batch's own); ARGV[8] runs of ARGV[7] (bucket, entries, whole: 1 when the run is
-- the bucket's whole content, after the splits the batch makes, 0 when it is to be appended);
-- ARGV[9..] triples: record, url key ('' without a url), content key (32 bits).
local base = tonumber(ARGV[4])
local b = map('b')
if b.shift ~= tonumber(ARGV[6]) then return redis.error_reply('the index was made again while writing to it') end
local seen = redis.call('HMGET', META, 'next_id', 'writes')
local expected = tonumber(seen[1]) == base and tonumber(seen[2]) == tonumber(ARGV[5])
local entries, runs = ARGV[7], ARGV[8]
local added, merged, n, bands, text_bytes = 0, 0, 0, 0, 0
local ids = {}  -- the writer's id of each article -> its id, false when merged
for i = 9, #ARGV, 3 do
  n = n + 1
  local rec, ukey, ckey = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local found, found_rec = nil, nil
  local function consider(pid, same)
    local id = struct.unpack('<I4', pid)
    if found and found <= id then return end
    local r = redis.call('GET', P .. 'a:' .. id)
    if r and same(r) then found, found_rec = id, r end
  end
  -- same text first, then same URL, as the SQLite store's query plan does
  for _, pid in ipairs(ids_of(mm_get('c', ckey))) do
    consider(pid, function(r) return content_key(r) == content_key(rec) end)
  end
  local url = record_url(rec)
  if ukey ~= '' and not found then
    for _, pid in ipairs(ids_of(mm_get('u', tonumber(ukey)))) do
      consider(pid, function(r) return record_url(r) == url end)
    end
  end
  if found then
    merge_dates(found, found_rec, rec)
    merged = merged + 1
    ids[base + n] = false
    expected = false
  else
    local id = redis.call('HINCRBY', META, 'next_id', 1)
    local pid = struct.pack('<I4', id)
    ids[base + n] = pid
    expected = expected and id == base + n
    redis.call('SET', P .. 'a:' .. id, rec)
    if ukey ~= '' then mm_add('u', tonumber(ukey), pid) end
    mm_add('c', ckey, pid)
    local nb, text_len = record_sizes(rec)
    bands, text_bytes = bands + nb, text_len + text_bytes
    local score = published(rec)
    if score then redis.call('ZADD', P .. 'pub', score, pid) end
    added = added + 1
  end
end
grow(b, bands, expected)
local at, s, w = 1, b.stride, b.w
if expected then
  for j = 1, #runs, 12 do
    local bucket, count, whole = struct.unpack('<I4I4I4', runs, j)
    local piece = string.sub(entries, at, at + s * count - 1)
    if whole == 0 then
      append(b, bucket, piece)
    else
      put(bucket_key(b, bucket), piece)
      if #piece > SPILL then spill(b, bucket) end
    end
    at = at + s * count
  end
else
  -- the writer's new entries (its ids, above base) in the buckets it expected; its copies of
  -- stored entries (at most base) are left where they are, and split here
  local by_bucket, order, fmt = {}, {}, b.fmt .. 'I4'
  for j = 1, #runs, 12 do
    local guessed, count = struct.unpack('<I4I4', runs, j)
    for e = at, at + s * (count - 1), s do
      local pid = ids[select(2, struct.unpack(fmt, entries, e))]
      if pid then
        local bucket = bucket_of(b, key_at(b, entries, e, guessed))
        local group = by_bucket[bucket]
        if not group then
          group = {}
          by_bucket[bucket], order[#order + 1] = group, bucket
        end
        group[#group + 1] = string.sub(entries, e, e + w - 1) .. pid
      end
    end
    at = at + s * count
  end
  for _, bucket in ipairs(order) do append(b, bucket, table.concat(by_bucket[bucket])) end
end
if added > 0 then
  redis.call('HINCRBY', META, 'articles', added)
  redis.call('HINCRBY', META, 'bands', bands)
  redis.call('HINCRBY', META, 'text_bytes', text_bytes)
end
save_maps()
return {added, merged}
