"""Steps 1 and 2 of the scheme (see the package): token hashes and shingle ids, for one text or many."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from provenance.normalize import Tokens, utf8

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]

MIX = np.uint64(0x9E3779B97F4A7C15)
_BYTE_BASE = 0x9E3779B185EBCA87  # B of step 1; odd, so it has an inverse mod 2^64
_M64 = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def fmix64(h: U64) -> U64:
    h = h ^ (h >> np.uint64(33))
    h *= _M64[0]
    h ^= h >> np.uint64(33)
    h *= _M64[1]
    h ^= h >> np.uint64(33)
    return h


def _powers(base: int, n: int) -> U64:
    table = np.full(n, base, dtype=np.uint64)
    table[0] = 1
    result: U64 = np.multiply.accumulate(table)  # wraps mod 2^64
    return result


class PowerTable:
    """base^i mod 2^64 for i < n; kept for later calls up to _KEEP_POWERS entries, made afresh above."""

    def __init__(self, base: int) -> None:
        self._base = base
        self._table = _powers(base, 1)

    def upto(self, n: int) -> U64:
        table = self._table  # one read: another thread may swap in a larger table
        if n <= len(table):
            return table
        if n > _KEEP_POWERS:
            return _powers(self._base, n)
        table = _powers(self._base, min(max(n, 2 * len(table)), _KEEP_POWERS))
        self._table = table
        return table


_KEEP_POWERS = 1 << 21
# Bytes hashed in one go: bounds the power tables and the prefix sums of step 1
# (a token longer than this is still hashed whole).
_SPAN_BYTES = 1 << 20
_BYTE_POWERS = PowerTable(_BYTE_BASE)
_BYTE_INVERSES = PowerTable(pow(_BYTE_BASE, -1, 1 << 64))


def span_hashes(data: U8, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    """Step 1 for the tokens data[starts[i]:ends[i]] (in order, not overlapping)."""
    if len(data) > _SPAN_BYTES and len(starts) > 1:
        pieces = []
        i = 0
        while i < len(starts):  # runs of tokens within _SPAN_BYTES of the run's first byte
            low = starts[i]
            j = max(i + 1, int(np.searchsorted(ends, low + _SPAN_BYTES, side="right")))
            pieces.append(span_hashes(data[low : ends[j - 1]], starts[i:j] - low, ends[i:j] - low))
            i = j
        return np.concatenate(pieces)
    forward, inverse = _BYTE_POWERS.upto(len(data)), _BYTE_INVERSES.upto(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.multiply(data, forward[: len(data)], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    h = prefix[ends]
    h -= prefix[starts]
    h *= inverse[starts]
    h += (ends - starts).astype(np.uint64)
    return fmix64(h)


def token_hashes(words: Sequence[str]) -> U64:
    """Step 1 for each word, as given (normalised words, as `tokenize` gives them)."""
    joined = "".join(words)
    if joined.isascii():
        data = joined.encode()
        lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
    else:
        encoded = [utf8(w) for w in words]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.intp, count=len(words))
    ends = np.cumsum(lengths)
    return span_hashes(np.frombuffer(data, dtype=np.uint8), ends - lengths, ends)


def _windows(hashes: U64, size: int) -> U64:
    """Step 2 without the finaliser, for every run of `size` consecutive hashes."""
    n = len(hashes) - size + 1
    acc = hashes[:n].copy()
    for j in range(1, size):
        acc *= MIX
        acc += hashes[j : j + n]
    return acc


def shingle_ids(hashes: U64, size: int) -> U64:
    """One 64-bit id per window of `size` tokens (a text shorter than that is one shingle)."""
    if len(hashes) == 0:
        return np.empty(0, dtype=np.uint64)
    return fmix64(_windows(hashes, min(size, len(hashes))))


def text_shingles(tokens: Tokens, size: int) -> U64:
    return shingle_ids(token_hashes(tokens.words), size)


def full_windows(hashes: U64, size: int) -> U64:
    """The shingle id of every run of `size` consecutive hashes (none if there are fewer)."""
    if len(hashes) < size:
        return np.empty(0, dtype=np.uint64)
    return fmix64(_windows(hashes, size))


def segment_shingles(hashes: U64, windows: U64, lengths: I64, size: int) -> tuple[U64, I64]:
    """Shingle ids of consecutive runs of `lengths` tokens, each run shingled on its own, and how many each has.

    `windows` is `full_windows(hashes, size)`: the runs' ids are those of the windows lying inside them.
    """
    long = lengths >= size
    counts = np.where(long, lengths - size + 1, np.minimum(lengths, 1))
    starts = np.cumsum(lengths) - lengths
    if len(lengths) == 1 and long[0]:
        ids = windows
    elif long.any():
        delta = np.zeros(len(hashes) + 1, dtype=np.int8)
        delta[starts[long]] += 1
        delta[(starts + lengths - size + 1)[long]] -= 1
        ids = windows[np.cumsum(delta[: len(windows)], dtype=np.int8).astype(bool)]
    else:
        ids = np.empty(0, dtype=np.uint64)
    short = np.flatnonzero(~long & (lengths > 0))
    if len(short):  # only texts of fewer than `size` tokens in all
        before = np.cumsum(np.where(long, counts, 0)) - np.where(long, counts, 0)
        short_ids = [shingle_ids(hashes[starts[i] : starts[i] + lengths[i]], size)[0] for i in short]
        ids = np.insert(ids, before[short], short_ids)
    return ids, counts
