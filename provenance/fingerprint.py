"""Word shingles and MinHash signatures, reproducible across runs and machines.

Hash scheme (changing any step changes every stored signature, so bump
SCHEME_VERSION when you do):
  1. each normalised token -> xxh3_64 of its UTF-8 bytes;
  2. each run of k tokens -> h = h * _MIX + t (mod 2^64) over the run, then the
     64-bit MurmurHash3 finaliser: the exact shingle id used by `compare`;
  3. the high 32 bits of that id feed datasketch's "affine32" MinHash scheme
     (fmix32, then a*h + b mod 2^32 with datasketch's seeded parameters).
Step 3 gives the same hash values as ``datasketch.MinHash(num_perm, seed)``
fed the same 32-bit values (tests/test_fingerprint.py checks it), so
signatures can be turned into datasketch objects; it is done here in one numpy
expression per text instead of datasketch's per-value Python hashing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import xxhash

from provenance.model import Fingerprint, ShingleParams, Signature
from provenance.normalize import Tokens, tokenize

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SCHEME_VERSION = 1
U64 = npt.NDArray[np.uint64]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_M64 = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_M32 = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))
_MAX32 = np.uint32(0xFFFFFFFF)
# Passages shorter than this many tokens are merged with the next paragraph:
# a one-line paragraph has too few shingles for a stable signature.
PASSAGE_MIN_TOKENS = 40


def _fmix64(h: U64) -> U64:
    h = h ^ (h >> np.uint64(33))
    h = h * _M64[0]
    h = h ^ (h >> np.uint64(33))
    h = h * _M64[1]
    return h ^ (h >> np.uint64(33))


def _fmix32(h: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    h = h ^ (h >> np.uint32(16))
    h = h * _M32[0]
    h = h ^ (h >> np.uint32(13))
    h = h * _M32[1]
    return h ^ (h >> np.uint32(16))


def token_hashes(words: list[str]) -> U64:
    digest = xxhash.xxh3_64_intdigest
    return np.fromiter((digest(w.encode()) for w in words), dtype=np.uint64, count=len(words))


def shingle_ids(hashes: U64, size: int) -> U64:
    """One 64-bit id per window of `size` tokens (a text shorter than that is one shingle)."""
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(size, n)
    acc = hashes[: n - k + 1].copy()
    for j in range(1, k):
        acc = acc * _MIX + hashes[j : n - k + 1 + j]
    return _fmix64(acc)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The same (a, b) datasketch 2.x draws for its "affine32" scheme."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash(ids: U64, params: ShingleParams) -> Signature:
    """MinHash of a set of shingle ids (duplicates do not change it, so they need not be removed)."""
    a, b = permutations(params.num_perm, params.seed)
    if len(ids) == 0:
        return np.full(params.num_perm, _MAX32, dtype=np.uint32)
    hv = _fmix32((ids >> np.uint64(32)).astype(np.uint32))
    with np.errstate(over="ignore"):
        permuted = np.outer(hv, a) + b  # wraps mod 2^32, as datasketch's does
    result: Signature = permuted.min(axis=0)
    return result


def passage_spans(paragraph_tokens: list[int], min_tokens: int = PASSAGE_MIN_TOKENS) -> list[range]:
    """Group consecutive paragraphs (by token count) into passages of at least `min_tokens`."""
    spans: list[range] = []
    start = acc = 0
    for i, count in enumerate(paragraph_tokens):
        acc += count
        if acc >= min_tokens:
            spans.append(range(start, i + 1))
            start, acc = i + 1, 0
    if start < len(paragraph_tokens):
        if spans and acc < min_tokens:
            spans[-1] = range(spans[-1].start, len(paragraph_tokens))
        else:
            spans.append(range(start, len(paragraph_tokens)))
    return spans


def fingerprint_paragraphs(paragraphs: tuple[str, ...], params: ShingleParams) -> Fingerprint:
    tokenized = [tokenize(p) for p in paragraphs]
    per_paragraph = [token_hashes(t.words) for t in tokenized]
    whole = np.concatenate(per_paragraph) if per_paragraph else np.empty(0, dtype=np.uint64)
    ids = np.unique(shingle_ids(whole, params.size))
    passages = tuple(
        minhash(shingle_ids(np.concatenate([per_paragraph[i] for i in span]), params.size), params)
        for span in passage_spans([len(t) for t in tokenized])
    )
    return Fingerprint(params, minhash(ids, params), passages, len(ids))


def fingerprint_text(text: str, params: ShingleParams) -> Fingerprint:
    return fingerprint_paragraphs(tuple(p for p in text.split("\n") if p.strip()), params)


def text_shingles(tokens: Tokens, size: int) -> U64:
    return shingle_ids(token_hashes(tokens.words), size)


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
