"""`provenance index rebuild` on the Redis index: the Python side of rekey.lua and rekey_swap.lua.

The new keys go to maps of their own (`nb`, and `nc` when content keys change) and the hash `rekey`,
a script per batch; one last script swaps them in with the stamp. Until then the index is what it
was; what a crash leaves of the new maps is deleted when a rebuild starts again.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import redis

from provenance.index.store.base import Rekeyed
from provenance.index.store.redis import codec
from provenance.index.store.redis.placement import key_shift

_CHUNK = 10_000
_NEW_MAPS = ("nb", "nc")
_MAP_FIELDS = ("size", "next", "fields", "shift")


def glob(prefix: str) -> str:
    """`prefix` as a literal in a SCAN pattern."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in prefix)


def _scan(db: redis.Redis, pattern: str) -> list[bytes]:
    return list(db.scan_iter(match=pattern, count=1000))


def ids(db: redis.Redis, prefix: str) -> list[int]:
    """The ids of the records present, ascending."""
    last = int(db.hget(prefix + "meta", "next_id") or 0)
    found: list[int] = []
    for start in range(1, last + 1, _CHUNK):
        chunk = range(start, min(start + _CHUNK, last + 1))
        pipe = db.pipeline(transaction=False)
        for i in chunk:
            pipe.exists(f"{prefix}a:{i}")
        found += [i for i, present in zip(chunk, pipe.execute(), strict=True) if present]
    return found


def _start(db: redis.Redis, prefix: str, contents: bool, buckets: int) -> None:
    """What an earlier rebuild left deleted, and the new maps made empty."""
    meta = prefix + "meta"
    for kind in _NEW_MAPS:
        stale = _scan(db, glob(prefix) + kind + ":*")
        for start in range(0, len(stale), 1000):
            db.unlink(*stale[start : start + 1000])
    db.delete(prefix + "rekey", prefix + "rekey:into")
    db.hdel(meta, "rekey:bands", *(f"{kind}:{name}" for kind in _NEW_MAPS for name in _MAP_FIELDS))
    for kind in _NEW_MAPS if contents else _NEW_MAPS[:1]:
        db.hset(meta, mapping={f"{kind}:size": buckets, f"{kind}:next": 0, f"{kind}:fields": 0,
                               f"{kind}:shift": key_shift(buckets)})  # fmt: skip


def rekey(
    db: redis.Redis,
    prefix: str,
    batches: Iterable[Sequence[Rekeyed]],
    contents: bool,
    call: Callable[[Sequence[object]], int],
    buckets: int,
) -> int:
    """Each batch through rekey.lua; how many articles merge into an earlier one."""
    _start(db, prefix, contents, buckets)
    merged = 0
    for batch in batches:
        args: list[object] = ["1" if contents else "0"]
        for item in batch:
            keys = np.unique(np.asarray(item.band_keys, dtype=np.uint32)).astype("<u4").tobytes()
            args += [str(item.key), struct.pack("<Q", item.content_key) if contents else b"", keys]
        merged += call(args)
    return merged


def swap_args(db: redis.Redis, prefix: str, stamp: str, contents: bool) -> list[object]:
    """What rekey_swap.lua takes: the stamp, the spill strings of the old and new maps, the merges."""
    args: list[object] = [stamp, "1" if contents else "0"]
    for kind in ("b", "nb", "c", "nc"):
        spilled = _scan(db, f"{glob(prefix)}{kind}:x:*") if contents or kind in ("b", "nb") else []
        args += [len(spilled), *spilled]
    into = {int(k): int(v) for k, v in db.hgetall(prefix + "rekey:into").items()}
    records = db.mget([f"{prefix}a:{i}" for i in into]) if into else []
    for (gone, kept), data in zip(into.items(), records, strict=True):
        url = codec.article(data).url if isinstance(data, bytes) else None
        args += [str(gone), str(kept), "" if url is None else codec.url_key(url)]
    return args
