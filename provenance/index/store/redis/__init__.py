"""The shared index: a Redis server that many machines read and write.

Layout, every key under one prefix (``prov:`` unless the URL says ``?prefix=``):

- ``meta``: hash, the marker (``format``, ``version``), the counters
  (``next_id``, ``writes``, ``articles``, ``bands``, ``text_bytes``) and the
  state of each multimap (``<map>:size``, ``<map>:next``, ``<map>:fields``
  (entries in its buckets), ``<map>:shift``);
- ``a:<id>``: string, one article record (``codec.py``: binary header, url,
  title, publisher, byline, zlib-compressed text), decoded there and, for the
  few fields the scripts need, in Lua at the offsets ``codec.py`` gives them;
  its band keys are not kept (a removal computes them again from the text);
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

The writer does the work per band entry, so the script does none
(``placement.py``): the script appends each bucket's run as one piece and
writes split buckets whole, or, when the writer's guess no longer holds,
splits and places the batch's entries itself (slower, same result).

Every write is one Lua script (a batch, a removal; ``scripts.py`` loads them
from the ``.lua`` files here), so it is atomic: other
clients see all of it or none of it, a client killed while sending it has
sent nothing that runs, and a server that dies mid-script replays it whole or
not at all (Redis never stops a script for lack of memory once it has
written). Records are built and checked here first, so no input makes a
script fail halfway; only foreign keys of the wrong type under our prefix could.
A script blocks the server while it runs: about 25 ms per thousand articles
added at 100k articles, 110 ms at a million; a bulk ingest writes 5,000 a batch.
A lookup is one script call, so one round trip, whatever the number of keys.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, Sequence
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
    Rekeyed,
    StoredArticle,
    refuse_invalid,
)
from provenance.index.store.redis import codec, rekeying
from provenance.index.store.redis.codec import FORMAT_VERSION
from provenance.index.store.redis.placement import key_shift, place
from provenance.index.store.redis.rekeying import glob
from provenance.index.store.redis.scripts import script

FORMAT = "provenance-index"
DEFAULT_PREFIX = "prov:"
# Average entries per bucket (7 bytes each): a lookup reads a whole bucket per key, but a batch
# costs a command per bucket it touches, so fewer, larger buckets write faster (at 100k articles,
# redis-server CPU per article added: 92 us at 64, 65 at 128, 46 at 256; lookup times alike).
LOAD = 256
BASE_BUCKETS = 1024  # per multimap when the index is created; they double from there
SPILL_BYTES = 16_384  # a bucket this long (9 times the average) moves its most repeated keys' ids out
_EXPORT_CHUNK = 256
_REMOVE_ATTEMPTS = 3  # reading a record and removing it are two scripts: another client may come between


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


def redacted(url: str) -> str:
    parts = urls.split(url)
    if parts is None:  # unparseable: hide whatever stands before an "@"
        return re.sub(r"//[^/]*@", "//***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def split_prefix(url: str) -> tuple[str, str] | None:
    """The URL without our own `prefix` query parameter (redis-py rejects unknown ones), and the
    prefix; None when the URL cannot be parsed."""
    parts = urls.split(url)
    if parts is None:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((value for name, value in query if name == "prefix"), DEFAULT_PREFIX)
    rest = urlencode([(name, value) for name, value in query if name != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _unique(keys: BandKeys) -> BandKeys:
    return np.unique(np.asarray(keys, dtype=np.uint32))


def _unique_keys(keys: BandKeys) -> bytes:
    return _unique(keys).astype("<u4").tobytes()


class RedisStore(Closing):
    # One script per add, and the server serves no one else while it runs: ~0.5 s for 5,000 articles
    # at a million (each touches fewer buckets per article in a larger batch: 5,000 articles/s
    # against 4,760 with 2,000 a batch). A lookup waiting behind it still ends within a second.
    write_batch = 5_000

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        connect_timeout: float = 5.0,
        timeout: float = 300.0,
        stamp: str | None = None,
    ) -> None:
        """`timeout` bounds one command: a batch of a few thousand articles takes a second or two.
        `stamp` is recorded in an index created here."""
        self.location = redacted(url)
        self.stamp: str | None = None
        split = split_prefix(url)
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
        self._add = self._db.register_script(script("add"))
        self._lookup = self._db.register_script(script("lookup"))
        self._remove = self._db.register_script(script("remove"))
        self._records = self._db.register_script(script("records"))
        self._rekey = self._db.register_script(script("rekey"))
        self._rekey_swap = self._db.register_script(script("rekey_swap"))
        self._load = LOAD
        self._args = [self.prefix, LOAD, SPILL_BYTES]
        try:
            self._open(create, stamp)
        except redis.RedisError as exc:
            self._db.close()
            _fail(self.location, exc)
        except StoreError:
            self._db.close()
            raise

    def _open(self, create: bool, stamp: str | None) -> None:
        meta = self.prefix + "meta"
        self._db.ping()
        if not self._check_marker(meta):
            if not create:
                raise StoreError(self.location, "no index here (create one with `provenance index add`)")
            if next(self._db.scan_iter(match=glob(self.prefix) + "*", count=1000), None) is not None:
                raise StoreError(self.location, f"keys under {self.prefix!r} that are not a provenance index")
            shift = key_shift(BASE_BUCKETS)
            self._db.eval(script("init"), 0, self.prefix, FORMAT, FORMAT_VERSION, BASE_BUCKETS, shift, stamp or "")
            self._check_marker(meta)
        found = self._db.hget(meta, "stamp")
        self.stamp = found.decode() if isinstance(found, bytes) else None

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
            args += [
                codec.record(entry, len(own)),
                "" if url is None else codec.url_key(url),
                entry.content_key & 0xFFFFFFFF,
            ]
        added, merged = self._call(self._add, args)
        return AddResult(int(added), int(merged))

    def _placed(self, keys: list[BandKeys]) -> tuple[int, int, int, bytes, bytes]:
        """The batch's band entries placed for the add script (placement.py); a seam for the tests of races."""
        return place(self._db, self.prefix, self._load, keys)

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
        return {key: codec.article(data) for key, data in zip(keys, records, strict=True) if isinstance(data, bytes)}

    def remove(self, urls: Sequence[str], band_keys: KeysOf) -> int:
        removed = 0
        pending = list(dict.fromkeys(urls))
        for _ in range(_REMOVE_ATTEMPTS):
            if not pending:
                break
            records = self._call(self._records, [a for url in pending for a in (url.encode(), codec.url_key(url))])
            args: list[object] = []
            for url, record in zip(pending, records, strict=True):
                if record:
                    args += [url.encode(), codec.url_key(url), record, _unique_keys(band_keys(codec.article(record)))]
            if not args:
                break
            done, changed = self._call(self._remove, args)
            removed += int(done)
            if not int(changed):
                break
        return removed

    def ids(self) -> list[int]:
        try:
            return rekeying.ids(self._db, self.prefix)
        except redis.RedisError as exc:
            _fail(self.location, exc)

    def rekey(self, batches: Iterable[Sequence[Rekeyed]], stamp: str, *, contents: bool) -> int:
        """rekey.lua writes each batch's keys to maps of their own, rekey_swap.lua swaps them in (rekeying.py)."""
        try:
            merged = rekeying.rekey(self._db, self.prefix, batches, contents, self._call_rekey, BASE_BUCKETS)
            self._call(self._rekey_swap, rekeying.swap_args(self._db, self.prefix, stamp, contents))
        except redis.RedisError as exc:
            _fail(self.location, exc)
        self.stamp = stamp
        return merged

    def _call_rekey(self, args: Sequence[object]) -> int:
        return int(self._call(self._rekey, args))

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
            yield from (codec.article(data) for data in records if isinstance(data, bytes))

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
