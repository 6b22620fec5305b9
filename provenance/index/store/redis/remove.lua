-- ARGV[4..] quadruples: url, url key, the record read before, its packed band keys. A record changed
-- since it was read (removed and added again by another client) is left for the caller to read again.
local removed, changed = 0, 0
for i = 4, #ARGV, 4 do
  local url, ukey, seen, bands = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3]
  for _, pid in ipairs(ids_of(mm_get('u', ukey))) do
    local key = P .. 'a:' .. struct.unpack('<I4', pid)
    local rec = redis.call('GET', key)
    if rec and record_url(rec) == url and string.sub(rec, ${CONTENT_KEY}) ~= string.sub(seen, ${CONTENT_KEY}) then
      changed = changed + 1
      break
    end
    if rec and record_url(rec) == url then
      mm_remove('u', ukey, pid)
      mm_remove('c', (struct.unpack('<I4', rec, ${CONTENT_KEY})), pid)
      local nb, text_len = record_sizes(rec)
      for j = 1, #bands, 4 do mm_remove('b', (struct.unpack('<I4', bands, j)), pid) end
      redis.call('DEL', key)
      redis.call('ZREM', P .. 'pub', pid)
      redis.call('HINCRBY', META, 'articles', -1)
      redis.call('HINCRBY', META, 'bands', 0 - nb)
      redis.call('HINCRBY', META, 'text_bytes', 0 - text_len)
      removed = removed + 1
      break
    end
  end
end
save_maps()
return {removed, changed}
