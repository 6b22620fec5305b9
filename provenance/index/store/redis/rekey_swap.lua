-- The end of `provenance index rebuild`, in one script: the keys rekey.lua made take the old ones'
-- place, with the stamp. ARGV[4] the stamp, ARGV[5] '1' when content keys were made again, then four
-- lists, each its length and then its keys: the spill strings of 'b', of 'nb', of 'c', of 'nc'; then
-- triples: an article that merges (rekey:into), the one it merges into, its url key ('' without a url).
local contents = ARGV[5] == '1'
local KEPT, INTO = P .. 'rekey', P .. 'rekey:into'
local at = 6
local function list()
  local n, out = tonumber(ARGV[at]), {}
  for i = at + 1, at + n do out[#out + 1] = ARGV[i] end
  at = at + n + 1
  return out
end
local spills = {b = list(), nb = list(), c = list(), nc = list()}

-- articles that merge: the earliest dates go to the one they merge into, then they go
local gone, text_bytes = 0, 0
for i = at, #ARGV, 3 do
  local id, into, ukey = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local rec = redis.call('GET', P .. 'a:' .. id)
  local kept = redis.call('GET', P .. 'a:' .. into)
  if rec and kept then merge_dates(into, kept, rec) end
  if rec then
    local pid = struct.pack('<I4', tonumber(id))
    if ukey ~= '' then mm_remove('u', tonumber(ukey), pid) end
    local _, text_len = record_sizes(rec)
    redis.call('DEL', P .. 'a:' .. id)
    redis.call('ZREM', P .. 'pub', pid)
    gone, text_bytes = gone + 1, text_bytes + text_len
  end
end

-- every record's band count and, with new content keys, its content key
local last = tonumber(redis.call('HGET', META, 'next_id') or 0)
for id = 1, last do
  local new = redis.call('HGET', KEPT, id)
  if new then
    local key = P .. 'a:' .. id
    redis.call('SETRANGE', key, ${BAND_COUNT} - 1, string.sub(new, 1, 4))
    if contents then redis.call('SETRANGE', key, ${CONTENT_KEY} - 1, string.sub(new, 5, 12)) end
  end
end

-- map `from` becomes map `to`: its buckets and spill strings renamed, the old ones deleted
local function swap(from, to)
  local old, new = map(to), map(from)
  for b = 0, old.size + old.next - 1 do redis.call('DEL', bucket_key(old, b)) end
  for _, key in ipairs(spills[to]) do redis.call('DEL', key) end
  for b = 0, new.size + new.next - 1 do
    local source = bucket_key(new, b)
    if redis.call('EXISTS', source) == 1 then redis.call('RENAME', source, bucket_key(old, b)) end
  end
  for _, key in ipairs(spills[from]) do
    redis.call('RENAME', key, P .. to .. string.sub(key, #P + #from + 1))
  end
  redis.call('HSET', META, to .. ':size', new.size, to .. ':next', new.next, to .. ':fields', new.fields,
    to .. ':shift', new.shift)
  redis.call('HDEL', META, from .. ':size', from .. ':next', from .. ':fields', from .. ':shift')
  maps[to], maps[from] = nil, nil
end

swap('nb', 'b')
if contents then swap('nc', 'c') end
redis.call('HSET', META, 'bands', redis.call('HGET', META, 'rekey:bands') or 0, 'stamp', ARGV[4])
redis.call('HDEL', META, 'rekey:bands')
redis.call('HINCRBY', META, 'articles', 0 - gone)
redis.call('HINCRBY', META, 'text_bytes', 0 - text_bytes)
redis.call('HINCRBY', META, 'writes', 1)
redis.call('DEL', KEPT, INTO)
save_maps()
return gone
