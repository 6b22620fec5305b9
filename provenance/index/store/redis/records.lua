-- ARGV[4..] pairs: url, url key; returns the record at each url, or ''.
local out = {}
for i = 4, #ARGV, 2 do
  local url, ukey = ARGV[i], tonumber(ARGV[i + 1])
  local found = ''
  for _, pid in ipairs(ids_of(mm_get('u', ukey))) do
    local rec = redis.call('GET', P .. 'a:' .. struct.unpack('<I4', pid))
    if rec and record_url(rec) == url then found = rec break end
  end
  out[#out + 1] = found
end
return out
