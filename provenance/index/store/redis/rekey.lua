-- One batch of `provenance index rebuild`: each article's new keys go to maps of their own, 'nb' (band
-- keys) and, with ARGV[4] == '1', 'nc' (content keys), and its new band count and content key to the
-- hash `rekey`, until rekey_swap.lua puts them in the old ones' place. ARGV[5..] triples: the article's
-- id, its new content key (8 bytes; '' when content keys stay), its band keys (packed uint32, unique).
-- An article whose new content key an earlier one has is noted in `rekey:into` (its id -> that one's)
-- and gets no keys. Returns how many did.
local contents = ARGV[4] == '1'
local KEPT, INTO = P .. 'rekey', P .. 'rekey:into'
local nb = map('nb')
local merged, bands, entries = 0, 0, {}
for i = 5, #ARGV, 3 do
  local id, ckey, keys = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local pid = struct.pack('<I4', tonumber(id))
  local into = nil
  if contents then
    local low = (struct.unpack('<I4', ckey))  -- the low 32 bits, which the content map files
    for _, other in ipairs(ids_of(mm_get('nc', low))) do
      local other_id = (struct.unpack('<I4', other))
      local kept = redis.call('HGET', KEPT, other_id)
      if kept and string.sub(kept, 5) == ckey then
        into = other_id
        break
      end
    end
    if not into then mm_add('nc', low, pid) end
  end
  if into then
    redis.call('HSET', INTO, id, into)
    merged = merged + 1
  else
    local count = #keys / 4
    redis.call('HSET', KEPT, id, struct.pack('<I4', count) .. ckey)
    bands = bands + count
    for j = 1, #keys, 4 do entries[#entries + 1] = {(struct.unpack('<I4', keys, j)), pid} end
  end
end
-- the band entries, one run per bucket they go to, as the add script places entries itself
grow(nb, #entries)
local by_bucket, order = {}, {}
for _, entry in ipairs(entries) do
  local bucket = bucket_of(nb, entry[1])
  local group = by_bucket[bucket]
  if not group then
    group = {}
    by_bucket[bucket], order[#order + 1] = group, bucket
  end
  group[#group + 1] = field(nb, entry[1]) .. entry[2]
end
for _, bucket in ipairs(order) do append(nb, bucket, table.concat(by_bucket[bucket])) end
redis.call('HINCRBY', META, 'rekey:bands', bands)
save_maps()
return merged
