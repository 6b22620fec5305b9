"""Placement planning for a batch of band keys: where each of the batch's entries will be in the band
map after the splits the batch causes, so that the add script writes a run per bucket and does no
work per entry (the layout: provenance/index/store/redis/__init__.py).

Just before the script the writer reads the map's state, `next_id` and the buckets the batch will
split, and sends every entry (the batch's, with its article's id-to-be, and those of the split
buckets) ordered by the bucket it will be in after the splits. The script checks that guess
(`next_id` and `writes`, a count of the scripts that changed a map); when another client wrote in
between, or an article of the batch merges with a stored one, it places the entries itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import redis

from provenance.index.store.base import BandKeys


def key_shift(buckets: int) -> int:
    """Low bits of a key that every bucket number of a map gives (whole bytes): entries leave them out."""
    return min(16, 8 * ((buckets.bit_length() - 1) // 8))


def _bytes_of(values: Any) -> Any:
    """uint32 values as rows of 4 little-endian bytes."""
    return np.ascontiguousarray(values, dtype="<u4").view(np.uint8).reshape(-1, 4)


def place(db: redis.Redis, prefix: str, load: int, keys: list[BandKeys]) -> tuple[int, int, int, bytes, bytes]:
    """What the add script needs to write the batch's band entries with a command per bucket and no
    work per entry, if no one writes in between and every article is new: the state read (next_id,
    writes, shift), then every entry of the buckets the batch touches, in the buckets they will be in
    after the batch's splits (those split are read and rewritten whole), and their runs."""
    meta = db.hmget(prefix + "meta", ["next_id", "writes", "b:shift", "b:size", "b:next", "b:fields"])
    base, writes, shift, size, split, fields = (int(value or 0) for value in meta)
    counts = np.array([len(k) for k in keys], dtype=np.int64)
    before, splits = size + split, []
    fields += int(counts.sum())
    while size and fields > load * (size + split):
        splits.append(split)
        split += 1
        if split == size:
            size, split = size * 2, 0
    if not size:
        return base, writes, shift, b"", b""
    width = 4 - shift // 8
    split_read = sorted({s for s in splits if s < before})
    found = db.mget([f"{prefix}b:{s}" for s in split_read]) if split_read else []
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
