-- Creates the marker unless a provenance index or anything else is under the prefix; ARGV[6] the stamp
-- (how the keys are made: provenance/index/keys.py), '' for none.
local meta = ARGV[1] .. 'meta'
if redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('HSET', meta, 'format', ARGV[2], 'version', ARGV[3], 'next_id', 0, 'writes', 0, 'articles', 0,
  'bands', 0, 'text_bytes', 0)
for _, kind in ipairs({'b', 'u', 'c'}) do
  redis.call('HSET', meta, kind .. ':size', ARGV[4], kind .. ':next', 0, kind .. ':fields', 0,
    kind .. ':shift', ARGV[5])
end
if ARGV[6] ~= '' then redis.call('HSET', meta, 'stamp', ARGV[6]) end
return 1
