-- ARGV[4] packed uint32 band keys; returns the id lists, concatenated.
local keys, out, buckets = ARGV[4], {}, {}
local m = map('b')
for i = 1, #keys, 4 do
  local k = struct.unpack('<I4', keys, i)
  local bucket = bucket_of(m, k)
  local data = buckets[bucket]
  if data == nil then
    data = redis.call('GET', bucket_key(m, bucket))
    buckets[bucket] = data
  end
  ids_in(m, data, k, out)
end
return table.concat(out)
