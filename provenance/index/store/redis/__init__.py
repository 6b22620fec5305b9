"""The shared index: a Redis server that many machines read and write.

Layout, every key under one prefix (``prov:`` unless the URL says ``?prefix=``):

- ``meta``: hash, the marker (``format``, ``version``), the counters
  (``next_id``, ``writes``, ``articles``, ``bands``, ``text_bytes``) and the
  state of each multimap (``<map>:size``, ``<map>:next``, ``<map>:fields``
  (entries in its buckets), ``<map>:shift``);
- ``a:<id>``: string, one article record (binary header, url, title,
  publisher, byline, zlib-compressed text), decoded here and, for the few
  fields the scripts need, in Lua; its band keys are not kept (a removal
  computes them again from the text);
- ``pub``: sorted set, article id by published time, for the oldest/newest stats;
- three multimaps from a 32-bit key to uint32 article ids: ``b`` (band
  keys), ``u`` (a hash of the URL) and ``c`` (the low bits of the content
  key); the last two only narrow a search, the record confirms a match.

A multimap lives in small strings, ``<map>:<bucket>``, each an unordered run
of 7-byte entries: the key less its low byte (which the bucket's number
gives), the article id (little-endian). Adding is a blind APPEND: Redis
neither searches nor re-encodes anything, so a batch costs about one command
per bucket it touches, and a lookup finds a key's entries with one GET and a
memory search. About 12 bytes per band key with APPEND's spare room (it
doubles a string it grows), where a Redis key per band key would cost about
90. The buckets form a linear hash table that grows one bucket split at a
time, so they stay small (LOAD entries on average, under 2 KB) at any index
size and a key's bucket follows from two numbers, with no lookup. When a
bucket grows past ``SPILL_BYTES`` (a passage shared by many articles), the
ids of its most repeated keys move to strings of their own,
``<map>:x:<key>``, and an entry with id 0 stays in the bucket to point there.

The writer does the work per band entry, so the script does none: just
before the script it reads the map's state, ``next_id`` and the buckets the
batch will split, and it sends every entry (the batch's, with its article's
id-to-be, and those of the split buckets) ordered by the bucket it will be
in after the splits. The script appends each bucket's run as one piece and
writes split buckets whole. It first checks that guess (``next_id`` and
``writes``, a count of the scripts that changed a map); when another client
wrote in between, or an article of the batch merges with a stored one, it
splits and places the batch's entries itself (slower, same result).

Every write is one Lua script (a batch, a removal), so it is atomic: other
clients see all of it or none of it, a client killed while sending it has
sent nothing that runs, and a server that dies mid-script replays it whole or
not at all (Redis never stops a script for lack of memory once it has
written). Records are built and checked here first, so no input makes a
script fail halfway; only foreign keys of the wrong type under our prefix could.
A script blocks the server while it runs: about 25 ms per thousand articles
added at 100k articles, 110 ms at a million; a bulk ingest writes 5,000 a batch.
A lookup is one script call, so one round trip, whatever the number of keys.

Dates are kept exactly (microseconds, fixed UTC offset); a naive datetime is
ordered as if it were UTC.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlencode, urlunsplit

import numpy as np
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from provenance import urls
from provenance.errors import StoreError
from provenance.index.store.base import (
    AddResult,
    BandKeys,
    Closing,
    Entry,
    Hit,
    IndexStats,
    KeysOf,
    StoredArticle,
    kept_date,
    kept_first_seen,
    refuse_invalid,
    unpack_text,
)

FORMAT = "provenance-index"
FORMAT_VERSION = 3  # 3: multimaps in strings of (key, id) entries; 2: records without band keys
DEFAULT_PREFIX = "prov:"
# Average entries per bucket (7 bytes each): a lookup reads a whole bucket per key, but a batch
# costs a command per bucket it touches, so fewer, larger buckets write faster (at 100k articles,
# redis-server CPU per article added: 92 us at 64, 65 at 128, 46 at 256; lookup times alike).
LOAD = 256
BASE_BUCKETS = 1024  # per multimap when the index is created; they double from there
SPILL_BYTES = 16_384  # a bucket this long (9 times the average) moves its most repeated keys' ids out
_EXPORT_CHUNK = 256
_REMOVE_ATTEMPTS = 3  # reading a record and removing it are two scripts: another client may come between
_NONE_LEN = 0xFFFFFFFF

# Record header: version, published and first_seen (flag, epoch seconds,
# microseconds, UTC offset in microseconds), content key, lengths.
_DATE = "BdId"
_HEADER = struct.Struct("<B" + _DATE + _DATE + "QIII")  # 63 bytes
_LEN = struct.Struct("<I")
_NO_DATE, _NAIVE, _AWARE = 0, 1, 2
_EPOCH = datetime(1970, 1, 1)

# Shared by all scripts. ARGV[1] prefix, ARGV[2] load (entries per bucket), ARGV[3] spill bytes.
#
# A multimap is a linear hash table (Litwin): `size` = 2^L buckets, of which
# the first `next` are already split in two; key k lives in bucket k mod 2^L,
# or in k mod 2^(L+1) when k mod 2^L is below `next`. Bucket `next` splits
# whenever the map averages more than LOAD entries per bucket. An entry is the
# key's field (k div 2^shift, 4 - shift/8 bytes: `<map>:shift` low bits of
# the key are those of the bucket's number, since L >= shift) and an id (4
# bytes), little-endian; id 0 marks a key whose other ids are in
# `<map>:x:<key>`. Entries are found with string.find, at offsets that are
# multiples of the entry's size (a field's bytes may also straddle two entries).
_LUA_COMMON = """
local P = ARGV[1]
local LOAD = tonumber(ARGV[2])
local SPILL = tonumber(ARGV[3])
local META = P .. 'meta'
local MARK = '\\0\\0\\0\\0'
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

-- Record: 1 version, 21 published, 21 first_seen, 8 content key, then
-- band count, text length, url length (4 each), then url, ...
local function record_url(rec)
  local n = struct.unpack('<I4', rec, 60)
  if n == 4294967295 then return nil end
  return string.sub(rec, 64, 63 + n)
end

local function record_sizes(rec)
  return struct.unpack('<I4', rec, 52), struct.unpack('<I4', rec, 56)  -- band keys, text bytes
end

local function ids_of(packed)
  local out = {}
  if packed then
    for i = 1, #packed, 4 do out[#out + 1] = string.sub(packed, i, i + 3) end
  end
  return out
end

-- the earlier of two date blocks of 21 bytes, and whether it is the second (the first on a tie)
local function earliest(rec_a, at_a, rec_b, at_b)
  local fa, sa, ua = struct.unpack('<BdI4', rec_a, at_a)
  local fb, sb, ub = struct.unpack('<BdI4', rec_b, at_b)
  if fb ~= 0 and (fa == 0 or sb < sa or (sb == sa and ub < ua)) then
    return string.sub(rec_b, at_b, at_b + 20), true
  end
  return string.sub(rec_a, at_a, at_a + 20), false
end

-- published as a sorted-set score, or nil
local function published(rec)
  local flag, secs, micros = struct.unpack('<BdI4', rec, 2)
  if flag == 0 then return nil end
  return secs + micros / 1e6
end
"""

# ARGV[4..6] what the writer saw: next_id, writes, the band map's shift; ARGV[7] band entries in
# the buckets the writer expects (each the field and an id: next_id + the article's place in the
# batch for the batch's own); ARGV[8] runs of ARGV[7] (bucket, entries, whole: 1 when the run is
# the bucket's whole content, after the splits the batch makes, 0 when it is to be appended);
# ARGV[9..] triples: record, url key ('' without a url), content key (32 bits).
_LUA_ADD = (
    _LUA_COMMON
    + """
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
    consider(pid, function(r) return string.sub(r, 44, 51) == string.sub(rec, 44, 51) end)
  end
  local url = record_url(rec)
  if ukey ~= '' and not found then
    for _, pid in ipairs(ids_of(mm_get('u', tonumber(ukey)))) do
      consider(pid, function(r) return record_url(r) == url end)
    end
  end
  if found then
    local pub, pub_changed = earliest(found_rec, 2, rec, 2)
    local first, first_changed = earliest(found_rec, 23, rec, 23)
    if pub_changed or first_changed then
      local merged_rec = string.sub(found_rec, 1, 1) .. pub .. first .. string.sub(found_rec, 44)
      redis.call('SET', P .. 'a:' .. found, merged_rec)
      if pub_changed then redis.call('ZADD', P .. 'pub', published(merged_rec), struct.pack('<I4', found)) end
    end
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
"""
)

# ARGV[4] packed uint32 band keys; returns the id lists, concatenated.
_LUA_LOOKUP = (
    _LUA_COMMON
    + """
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
"""
)

# ARGV[4..] pairs: url, url key; returns the record at each url, or ''.
_LUA_RECORDS = (
    _LUA_COMMON
    + """
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
"""
)

# ARGV[4..] quadruples: url, url key, the record read before, its packed band keys. A record changed
# since it was read (removed and added again by another client) is left for the caller to read again.
_LUA_REMOVE = (
    _LUA_COMMON
    + """
local removed, changed = 0, 0
for i = 4, #ARGV, 4 do
  local url, ukey, seen, bands = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3]
  for _, pid in ipairs(ids_of(mm_get('u', ukey))) do
    local key = P .. 'a:' .. struct.unpack('<I4', pid)
    local rec = redis.call('GET', key)
    if rec and record_url(rec) == url and string.sub(rec, 44) ~= string.sub(seen, 44) then
      changed = changed + 1
      break
    end
    if rec and record_url(rec) == url then
      mm_remove('u', ukey, pid)
      mm_remove('c', (struct.unpack('<I4', rec, 44)), pid)
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
"""
)

# Creates the marker unless a provenance index or anything else is under the prefix.
_LUA_INIT = """
local meta = ARGV[1] .. 'meta'
if redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('HSET', meta, 'format', ARGV[2], 'version', ARGV[3], 'next_id', 0, 'writes', 0, 'articles', 0,
  'bands', 0, 'text_bytes', 0)
for _, kind in ipairs({'b', 'u', 'c'}) do
  redis.call('HSET', meta, kind .. ':size', ARGV[4], kind .. ':next', 0, kind .. ':fields', 0,
    kind .. ':shift', ARGV[5])
end
return 1
"""


def _fail(location: str, exc: redis.RedisError) -> NoReturn:
    if isinstance(exc, redis.AuthenticationError):
        raise StoreError(location, f"the Redis server refused the credentials ({exc})") from None
    if isinstance(exc, redis.TimeoutError):
        raise StoreError(location, f"the Redis server did not answer in time ({exc})") from None
    if isinstance(exc, redis.ConnectionError):
        raise StoreError(location, f"cannot connect to the Redis server: {_reason(exc)}") from None
    raise StoreError(location, f"Redis error: {exc}") from None


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return text


def _redacted(url: str) -> str:
    parts = urls.split(url)
    if parts is None:  # unparseable: hide whatever stands before an "@"
        return re.sub(r"//[^/]*@", "//***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def _split_prefix(url: str) -> tuple[str, str] | None:
    """The URL without our own `prefix` query parameter (redis-py rejects unknown ones), and the
    prefix; None when the URL cannot be parsed."""
    parts = urls.split(url)
    if parts is None:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((value for name, value in query if name == "prefix"), DEFAULT_PREFIX)
    rest = urlencode([(name, value) for name, value in query if name != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _date(value: datetime | None) -> bytes:
    if value is None:
        return struct.pack("<" + _DATE, _NO_DATE, 0.0, 0, 0.0)
    offset = value.utcoffset()
    if offset is None:
        since = value - _EPOCH
        flag, offset_us = _NAIVE, 0
    else:
        since = value - _EPOCH.replace(tzinfo=UTC)
        flag, offset_us = _AWARE, offset // timedelta(microseconds=1)
    return struct.pack("<" + _DATE, flag, float(since.days * 86400 + since.seconds), since.microseconds, offset_us)


def _undate(flag: int, seconds: float, micros: int, offset_us: float) -> datetime | None:
    if flag == _NO_DATE:
        return None
    since = timedelta(seconds=int(seconds), microseconds=micros)
    try:
        if flag == _NAIVE:
            return _EPOCH + since
        return (_EPOCH.replace(tzinfo=UTC) + since).astimezone(timezone(timedelta(microseconds=int(offset_us))))
    except OverflowError:  # past datetime's range, stored before dates were checked: the nearest end
        return (datetime.max if seconds > 0 else datetime.min).replace(tzinfo=UTC)


def _text(value: str | None) -> bytes:
    if value is None:
        return _LEN.pack(_NONE_LEN)
    data = value.encode()
    return _LEN.pack(len(data)) + data


def _shift(buckets: int) -> int:
    """Low bits of a key that every bucket number of a map gives (whole bytes): entries leave them out."""
    return min(16, 8 * ((buckets.bit_length() - 1) // 8))


def _bytes_of(values: Any) -> Any:
    """uint32 values as rows of 4 little-endian bytes."""
    return np.ascontiguousarray(values, dtype="<u4").view(np.uint8).reshape(-1, 4)


def _unique(keys: BandKeys) -> BandKeys:
    return np.unique(np.asarray(keys, dtype=np.uint32))


def _unique_keys(keys: BandKeys) -> bytes:
    return _unique(keys).astype("<u4").tobytes()


def _record(entry: Entry, band_count: int) -> bytes:
    art = entry.article
    url = None if art.url is None else art.url.encode()
    text = entry.text_bytes()
    header = (
        struct.pack("<B", FORMAT_VERSION)
        + _date(art.published)
        + _date(art.first_seen)
        + struct.pack("<QIII", entry.content_key, band_count, len(text), _NONE_LEN if url is None else len(url))
    )
    rest = _text(art.title) + _text(art.publisher) + _text(art.byline)
    return header + (url or b"") + rest + text


def _read_text(data: bytes, at: int) -> tuple[str | None, int]:
    (length,) = _LEN.unpack_from(data, at)
    at += 4
    if length == _NONE_LEN:
        return None, at
    return data[at : at + length].decode(), at + length


def _article(data: bytes) -> StoredArticle:
    fields = _HEADER.unpack_from(data)
    text_len, url_len = fields[11:13]
    at = _HEADER.size
    url = None
    if url_len != _NONE_LEN:
        url, at = data[at : at + url_len].decode(), at + url_len
    title, at = _read_text(data, at)
    publisher, at = _read_text(data, at)
    byline, at = _read_text(data, at)
    first_seen = _undate(*fields[5:9])
    assert first_seen is not None
    return StoredArticle(
        url=url,
        title=title,
        publisher=publisher,
        byline=byline,
        published=kept_date(_undate(*fields[1:5])),
        first_seen=kept_first_seen(first_seen),
        paragraphs=unpack_text(data[at : at + text_len]),
    )


def _url_key(url: str) -> int:
    return zlib.crc32(url.encode())


class RedisStore(Closing):
    # One script per add, and the server serves no one else while it runs: ~0.5 s for 5,000 articles
    # at a million (each touches fewer buckets per article in a larger batch: 5,000 articles/s
    # against 4,760 with 2,000 a batch). A lookup waiting behind it still ends within a second.
    write_batch = 5_000

    def __init__(self, url: str, *, create: bool = True, connect_timeout: float = 5.0, timeout: float = 300.0) -> None:
        """`timeout` bounds one command: a batch of a few thousand articles takes a second or two."""
        self.location = _redacted(url)
        split = _split_prefix(url)
        if split is None:
            raise StoreError(self.location, "not a Redis URL (it cannot be parsed: a bad port or an unbalanced '[')")
        target, self.prefix = split
        try:
            self._db = redis.Redis.from_url(
                target,
                socket_connect_timeout=connect_timeout,
                socket_timeout=timeout,
                retry=Retry(NoBackoff(), 0),  # a retried batch would run twice
            )
        except ValueError as exc:
            raise StoreError(self.location, f"not a Redis URL ({exc})") from None
        self._add = self._db.register_script(_LUA_ADD)
        self._lookup = self._db.register_script(_LUA_LOOKUP)
        self._remove = self._db.register_script(_LUA_REMOVE)
        self._records = self._db.register_script(_LUA_RECORDS)
        self._load = LOAD
        self._args = [self.prefix, LOAD, SPILL_BYTES]
        try:
            self._open(create)
        except redis.RedisError as exc:
            self._db.close()
            _fail(self.location, exc)
        except StoreError:
            self._db.close()
            raise

    def _open(self, create: bool) -> None:
        meta = self.prefix + "meta"
        self._db.ping()
        if not self._check_marker(meta):
            if not create:
                raise StoreError(self.location, "no index here (create one with `provenance index add`)")
            if next(self._db.scan_iter(match=_glob(self.prefix) + "*", count=1000), None) is not None:
                raise StoreError(self.location, f"keys under {self.prefix!r} that are not a provenance index")
            self._db.eval(_LUA_INIT, 0, self.prefix, FORMAT, FORMAT_VERSION, BASE_BUCKETS, _shift(BASE_BUCKETS))
            self._check_marker(meta)

    def _check_marker(self, meta: str) -> bool:
        kind = self._db.type(meta)
        if kind == b"none":
            return False
        if kind != b"hash":
            raise StoreError(self.location, f"not a provenance index ({meta!r} is not ours)")
        found, version = self._db.hmget(meta, ["format", "version"])
        if found != FORMAT.encode():
            raise StoreError(self.location, f"not a provenance index ({meta!r} is not ours)")
        if not version or not version.isdigit():
            raise StoreError(self.location, "not a provenance index (no format version)")
        if int(version) > FORMAT_VERSION:
            raise StoreError(self.location, f"index format {int(version)} is newer than this provenance understands")
        if int(version) < FORMAT_VERSION:
            raise StoreError(
                self.location,
                f"index format {int(version)} is from an earlier provenance: build it again from its sources"
                " (`provenance index import`, `index add`)",
            )
        return True

    def _call(self, script: Any, args: Sequence[object]) -> Any:
        try:
            return script(args=[*self._args, *args])
        except redis.RedisError as exc:
            _fail(self.location, exc)

    def add(self, entries: Sequence[Entry]) -> AddResult:
        if not entries:
            return AddResult(0, 0)
        refuse_invalid(self.location, entries)
        keys = [_unique(entry.band_keys) for entry in entries]
        try:
            placed = self._placed(keys)
        except redis.RedisError as exc:
            _fail(self.location, exc)
        args: list[object] = list(placed)
        for entry, own in zip(entries, keys, strict=True):
            url = entry.article.url
            args += [_record(entry, len(own)), "" if url is None else _url_key(url), entry.content_key & 0xFFFFFFFF]
        added, merged = self._call(self._add, args)
        return AddResult(int(added), int(merged))

    def _placed(self, keys: list[BandKeys]) -> tuple[int, int, int, bytes, bytes]:
        """What the add script needs to write the batch's band entries with a command per bucket and no
        work per entry, if no one writes in between and every article is new: the state read (next_id,
        writes, shift), then every entry of the buckets the batch touches, in the buckets they will be in
        after the batch's splits (those split are read and rewritten whole), and their runs."""
        meta = self._db.hmget(self.prefix + "meta", ["next_id", "writes", "b:shift", "b:size", "b:next", "b:fields"])
        base, writes, shift, size, split, fields = (int(value or 0) for value in meta)
        counts = np.array([len(k) for k in keys], dtype=np.int64)
        before, splits = size + split, []
        fields += int(counts.sum())
        while size and fields > self._load * (size + split):
            splits.append(split)
            split += 1
            if split == size:
                size, split = size * 2, 0
        if not size:
            return base, writes, shift, b"", b""
        width = 4 - shift // 8
        split_read = sorted({s for s in splits if s < before})
        found = self._db.mget([f"{self.prefix}b:{s}" for s in split_read]) if split_read else []
        stored = [data if isinstance(data, bytes) else b"" for data in found]
        old = np.frombuffer(b"".join(stored), dtype=np.uint8).reshape(-1, width + 4)
        old_bucket = np.repeat(np.array(split_read, dtype=np.uint64), [len(data) // (width + 4) for data in stored])
        old_field = np.zeros((len(old), 4), dtype=np.uint8)
        old_field[:, :width] = old[:, :width]
        band = np.concatenate(
            [
                *(k.astype(np.uint64) for k in keys),
                (old_field.view("<u4")[:, 0].astype(np.uint64) << np.uint64(shift))
                | (old_bucket & np.uint64((1 << shift) - 1)),
            ]
        )
        ids = np.concatenate(
            [
                np.repeat(np.arange(base + 1, base + 1 + len(keys), dtype=np.uint64), counts),
                old[:, width:].copy().view("<u4")[:, 0].astype(np.uint64),
            ]
        )
        bucket = band % size
        low = bucket < split
        bucket[low] = band[low] % (2 * size)
        rewritten = np.union1d(np.array(split_read, dtype=np.uint64), np.arange(before, size + split, dtype=np.uint64))
        order = np.argsort(bucket, kind="stable")
        placed = np.concatenate([_bytes_of(band[order] >> np.uint64(shift))[:, :width], _bytes_of(ids[order])], axis=1)
        touched, per_bucket = np.unique(bucket[order], return_counts=True)
        empty = np.setdiff1d(rewritten, touched)  # split, and nothing stays in them
        runs = np.zeros((len(touched) + len(empty), 3), dtype="<u4")
        runs[: len(touched), 0], runs[: len(touched), 1] = touched, per_bucket
        runs[: len(touched), 2] = np.isin(touched, rewritten)
        runs[len(touched) :, 0], runs[len(touched) :, 2] = empty, 1
        return base, writes, shift, placed.tobytes(), runs.tobytes()

    def lookup(self, band_keys: BandKeys, limit: int) -> list[Hit]:
        keys = _unique_keys(band_keys)
        if not keys or limit == 0:
            return []
        found = np.frombuffer(self._call(self._lookup, [keys]), dtype="<u4")
        ids, counts = np.unique(found, return_counts=True)
        order = np.lexsort((ids, -counts))
        if limit > 0:
            order = order[:limit]
        return [Hit(int(ids[i]), int(counts[i])) for i in order]

    def get(self, keys: Sequence[int]) -> dict[int, StoredArticle]:
        if not keys:
            return {}
        try:
            records = self._db.mget([f"{self.prefix}a:{int(key)}" for key in keys])
        except redis.RedisError as exc:
            _fail(self.location, exc)
        return {key: _article(data) for key, data in zip(keys, records, strict=True) if isinstance(data, bytes)}

    def remove(self, urls: Sequence[str], band_keys: KeysOf) -> int:
        removed = 0
        pending = list(dict.fromkeys(urls))
        for _ in range(_REMOVE_ATTEMPTS):
            if not pending:
                break
            records = self._call(self._records, [a for url in pending for a in (url.encode(), _url_key(url))])
            args: list[object] = []
            for url, record in zip(pending, records, strict=True):
                if record:
                    args += [url.encode(), _url_key(url), record, _unique_keys(band_keys(_article(record)))]
            if not args:
                break
            done, changed = self._call(self._remove, args)
            removed += int(done)
            if not int(changed):
                break
        return removed

    def export(self) -> Iterator[StoredArticle]:
        try:
            last = int(self._db.hget(self.prefix + "meta", "next_id") or 0)
        except redis.RedisError as exc:
            _fail(self.location, exc)
        for start in range(1, last + 1, _EXPORT_CHUNK):
            try:
                records = self._db.mget(
                    [f"{self.prefix}a:{i}" for i in range(start, min(start + _EXPORT_CHUNK, last + 1))]
                )
            except redis.RedisError as exc:
                _fail(self.location, exc)
            yield from (_article(data) for data in records if isinstance(data, bytes))

    def stats(self) -> IndexStats:
        """`bytes` is the whole server's `used_memory` (INFO memory): Redis cannot say what one prefix uses."""
        pub = self.prefix + "pub"
        try:
            with self._db.pipeline(transaction=True) as pipe:
                pipe.hmget(self.prefix + "meta", ["articles", "bands", "text_bytes"])
                pipe.zrange(pub, 0, 0)
                pipe.zrange(pub, -1, -1)
                counts, first, last = pipe.execute()
            memory = self._db.info("memory")["used_memory"]
            ids = [struct.unpack("<I", member)[0] for member in (*first, *last)]
            ends = self.get(ids)
        except redis.RedisError as exc:
            _fail(self.location, exc)
        articles, bands, text_bytes = (int(value or 0) for value in counts)
        dates = [when for i in ids if i in ends and (when := ends[i].published) is not None]
        return IndexStats(
            self.location,
            articles,
            bands,
            int(memory),
            text_bytes,
            dates[0] if dates else None,
            dates[-1] if dates else None,
        )

    def close(self) -> None:
        self._db.close()


def _glob(prefix: str) -> str:
    """`prefix` as a literal in a SCAN pattern."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in prefix)
