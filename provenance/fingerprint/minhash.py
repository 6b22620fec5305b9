"""Step 3 of the scheme (see the package): MinHash signatures of shingle ids, datasketch's "affine32"."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from provenance.fingerprint.hashing import I64, U32, U64
from provenance.model import ShingleParams

if TYPE_CHECKING:
    from datasketch import LeanMinHash

Signature = npt.NDArray[np.uint32]  # MinHash values, one per permutation

_M32 = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))
_MAX32 = np.uint32(0xFFFFFFFF)
# Below this many (shingle, permutation) pairs MinHash takes one 2-D array;
# above, one permutation at a time, so memory stays O(shingles).
_OUTER_LIMIT = 1 << 18


def _fmix32(h: U32) -> U32:
    h = h ^ (h >> np.uint32(16))
    h *= _M32[0]
    h ^= h >> np.uint32(13)
    h *= _M32[1]
    h ^= h >> np.uint32(16)
    return h


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """The same (a, b) datasketch 2.x draws for its "affine32" scheme."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.flags.writeable = b.flags.writeable = False  # shared by every caller
    return a, b


def _minhash_values(ids: U64) -> U32:
    return _fmix32((ids >> np.uint64(32)).astype(np.uint32))


def minhash(ids: U64, params: ShingleParams) -> Signature:
    """MinHash of a set of shingle ids (duplicates do not change it, so they need not be removed)."""
    a, b = permutations(params.num_perm, params.seed)
    result: Signature = segment_minhash(ids, np.array([len(ids)], dtype=np.int64), a, b)[0]
    return result


def segment_minhash(ids: U64, counts: I64, a: U32, b: U32) -> U32:
    """MinHash (first len(a) permutations) of consecutive runs of `counts` ids: shape (runs, perms).

    a*h + b wraps mod 2^32, as datasketch's does. A run of no ids gets all 0xFFFFFFFF.
    """
    filled = counts > 0
    offsets = np.cumsum(counts[filled]) - counts[filled]
    mins = np.empty((len(a), len(offsets)), dtype=np.uint32)
    if len(offsets):
        values = _minhash_values(ids)
        if len(values) * len(a) <= _OUTER_LIMIT:
            permuted = np.multiply.outer(a, values)
            permuted += b[:, None]
            np.minimum.reduceat(permuted, offsets, axis=1, out=mins)
        else:  # a segment reduction per permutation: memory O(ids), not O(ids * perms)
            scratch = np.empty_like(values)
            for j in range(len(a)):
                np.multiply(values, a[j], out=scratch)
                scratch += b[j]
                np.minimum.reduceat(scratch, offsets, out=mins[j])
    if filled.all():
        return np.ascontiguousarray(mins.T)
    out = np.full((len(counts), len(a)), _MAX32, dtype=np.uint32)
    out[filled] = mins.T
    return out


def estimate_jaccard(a: Signature, b: Signature) -> float:
    """Share of equal MinHash values; 0 when either text had no shingles, as exact Jaccard is."""
    if (a == _MAX32).all() or (b == _MAX32).all():
        return 0.0
    return float(np.mean(a == b))


def to_datasketch(signature: Signature, params: ShingleParams) -> LeanMinHash:
    """The signature as a datasketch LeanMinHash, for use with datasketch's LSH indexes."""
    from datasketch import LeanMinHash, MinHash

    m = MinHash(num_perm=params.num_perm, seed=params.seed, hashvalues=signature, scheme="affine32")
    return LeanMinHash(m)
