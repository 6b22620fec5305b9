-- One page and its findings, atomically. ARGV: prefix, url, the item's JSON, stamp, the number of findings,
-- then 4 per finding: page, original, the copy's JSON, the page's JSON.
local P, url, item, stamp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('HSET', P .. 'items', url, item)
local n = tonumber(ARGV[5])
for i = 0, n - 1 do
  local page, original = ARGV[6 + 4 * i], ARGV[7 + 4 * i]
  local key = page .. '\n' .. original
  local id = redis.call('HGET', P .. 'fkey', key)
  if id then
    redis.call('HSET', P .. 'f:' .. id, 'last_seen', stamp)
  else
    id = redis.call('HINCRBY', P .. 'meta', 'next_id', 1)
    redis.call('HSET', P .. 'fkey', key, id)
    redis.call('HSET', P .. 'f:' .. id, 'copy', ARGV[8 + 4 * i], 'page', ARGV[9 + 4 * i], 'first_seen', stamp,
               'last_seen', stamp, 'status', 'new', 'note', '')
    redis.call('SADD', P .. 'page:' .. page, id)
    redis.call('ZADD', P .. 'ids', id, id)
    redis.call('SADD', P .. 'unreported', id)
    redis.call('SADD', P .. 'unnotified', id)
  end
end
return 1
