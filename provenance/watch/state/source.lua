-- ARGV: prefix, url, stamp, answered ('1' / '0'), listed ('1': a new listing follows the 14 fields / '0'),
-- the source's 7 field-value pairs, then the listing.
local P, url, stamp = ARGV[1], ARGV[2], ARGV[3]
local source = P .. 'src:' .. url
redis.call('DEL', source)
redis.call('HSET', source, unpack(ARGV, 6, 19))
local listing = P .. 'list:' .. url
if ARGV[5] == '1' then
  redis.call('DEL', listing)
  for i = 20, #ARGV do redis.call('RPUSH', listing, ARGV[i]) end
end
if ARGV[4] == '1' then
  local pages = redis.call('LRANGE', listing, 0, -1)
  for i = 1, #pages, 2 do
    for _, id in ipairs(redis.call('SMEMBERS', P .. 'page:' .. pages[i])) do
      redis.call('HSET', P .. 'f:' .. id, 'last_seen', stamp)
    end
  end
end
return 1
