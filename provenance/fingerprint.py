"""Word shingles, MinHash signatures and LSH band keys, reproducible across runs and machines.

Hash scheme (changing any step changes every stored signature and key, so bump
SCHEME_VERSION when you do):
  1. each normalised token (as `normalize.tokenize` gives it), as UTF-8 bytes
     c_0 .. c_{L-1} -> fmix64(c_0 + c_1*B + ... + c_{L-1}*B^(L-1) + L  mod 2^64), B odd;
  2. each run of k tokens -> h = h * _MIX + t (mod 2^64) over the run, then the
     64-bit MurmurHash3 finaliser fmix64: the exact shingle id used by `compare`
     (a text of fewer than k tokens is one shingle of all of them);
  3. the high 32 bits of that id feed datasketch's "affine32" MinHash scheme
     (fmix32, then a*h + b mod 2^32 with datasketch's seeded parameters);
  4. LSH band j (0-based) of a signature, its values v_1..v_rows at j*rows ..:
     h = j, then h = h * _MIX + v_i (mod 2^64) for each, fmix64, high 32 bits.
  A content key is the whole token sequence as one shingle (step 2 with k = its
  length), shifted right by one bit so that it fits a signed 64-bit integer.

Step 1 is a polynomial so that the tokens of many texts are hashed at once: one
prefix sum S of c_i * B^i over all their bytes, and a token spanning bytes
[s, e) is (S[e] - S[s]) * B^-s (odd numbers are invertible mod 2^64).
Step 3 gives the same hash values as ``datasketch.MinHash(num_perm, seed)``
fed the same 32-bit values (tests/test_fingerprint.py checks it), so
signatures can be turned into datasketch objects.

Two ways in, one scheme: `tokenize` + `token_hashes` + `shingle_ids` + `minhash`
for one text with offsets (what `compare` uses), and the batch functions
(`passage_band_keys`, `content_keys`, `fingerprint_batch`) that tokenise many
texts at once over their UTF-8 bytes with numpy. Paragraphs that need Unicode
normalisation (`normalize.is_plain` is false) go through `tokenize` even there,
so both ways give the same token hashes for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from provenance.model import ShingleParams
from provenance.normalize import Tokens, is_plain, plain_word_bounds, tokenize, utf8

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SCHEME_VERSION = 2
Signature = npt.NDArray[np.uint32]  # MinHash values, one per permutation
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BYTE_BASE = 0x9E3779B185EBCA87  # B of step 1; odd, so it has an inverse mod 2^64
_M64 = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_M32 = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))
_MAX32 = np.uint32(0xFFFFFFFF)
_LOW32 = np.uint64(0xFFFFFFFF)
# Passages shorter than this many tokens are merged with the next paragraph:
# a one-line paragraph has too few shingles for a stable signature.
PASSAGE_MIN_TOKENS = 40
# The batch functions work through their documents this many characters at a
# time: big enough to amortise numpy's per-call cost, small enough that the
# working arrays stay in the CPU caches and memory stays bounded.
BATCH_CHARS = 1 << 18
# Below this many (shingle, permutation) pairs MinHash takes one 2-D array;
# above, one permutation at a time, so memory stays O(shingles).
_OUTER_LIMIT = 1 << 18


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's MinHash signatures, whole and per passage: enough to compare two texts later without them
    (`fingerprint_paragraphs`). Nothing public returns one; the tests and benchmarks of the scheme do."""

    params: ShingleParams
    signature: Signature  # MinHash of the whole body
    passages: tuple[Signature, ...]  # MinHash per passage (short paragraphs merged)
    shingle_count: int


@dataclass(frozen=True, slots=True)
class LshParams:
    """Banding of MinHash signatures for an LSH index.

    The bands*rows permutations used are the first ones of the `num_perm`-permutation scheme
    (same seed), so band keys can also be computed from stored full signatures (`band_keys`).
    """

    bands: int = 8
    rows: int = 3
    shingle_size: int = 5
    seed: int = 1
    num_perm: int = 128

    def __post_init__(self) -> None:
        if min(self.bands, self.rows, self.shingle_size) < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(f"need bands, rows, shingle_size >= 1 and bands*rows <= num_perm, got {self}")

    @property
    def shingles(self) -> ShingleParams:
        return ShingleParams(size=self.shingle_size, num_perm=self.num_perm, seed=self.seed)


def _fmix64(h: U64) -> U64:
    h = h ^ (h >> np.uint64(33))
    h *= _M64[0]
    h ^= h >> np.uint64(33)
    h *= _M64[1]
    h ^= h >> np.uint64(33)
    return h


def _fmix32(h: U32) -> U32:
    h = h ^ (h >> np.uint32(16))
    h *= _M32[0]
    h ^= h >> np.uint32(13)
    h *= _M32[1]
    h ^= h >> np.uint32(16)
    return h


def _powers(base: int, n: int) -> U64:
    table = np.full(n, base, dtype=np.uint64)
    table[0] = 1
    result: U64 = np.multiply.accumulate(table)  # wraps mod 2^64
    return result


class _PowerTable:
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
_BYTE_POWERS = _PowerTable(_BYTE_BASE)
_BYTE_INVERSES = _PowerTable(pow(_BYTE_BASE, -1, 1 << 64))
_MIX_POWERS = _PowerTable(int(_MIX))


def _span_hashes(data: U8, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
    """Step 1 for the tokens data[starts[i]:ends[i]] (in order, not overlapping)."""
    if len(data) > _SPAN_BYTES and len(starts) > 1:
        pieces = []
        i = 0
        while i < len(starts):  # runs of tokens within _SPAN_BYTES of the run's first byte
            low = starts[i]
            j = max(i + 1, int(np.searchsorted(ends, low + _SPAN_BYTES, side="right")))
            pieces.append(_span_hashes(data[low : ends[j - 1]], starts[i:j] - low, ends[i:j] - low))
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
    return _fmix64(h)


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
    return _span_hashes(np.frombuffer(data, dtype=np.uint8), ends - lengths, ends)


def _windows(hashes: U64, size: int) -> U64:
    """Step 2 without the finaliser, for every run of `size` consecutive hashes."""
    n = len(hashes) - size + 1
    acc = hashes[:n].copy()
    for j in range(1, size):
        acc *= _MIX
        acc += hashes[j : j + n]
    return acc


def shingle_ids(hashes: U64, size: int) -> U64:
    """One 64-bit id per window of `size` tokens (a text shorter than that is one shingle)."""
    if len(hashes) == 0:
        return np.empty(0, dtype=np.uint64)
    return _fmix64(_windows(hashes, min(size, len(hashes))))


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
    result: Signature = _segment_minhash(ids, np.array([len(ids)], dtype=np.int64), a, b)[0]
    return result


def _segment_minhash(ids: U64, counts: I64, a: U32, b: U32) -> U32:
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


def _full_windows(hashes: U64, size: int) -> U64:
    """The shingle id of every run of `size` consecutive hashes (none if there are fewer)."""
    if len(hashes) < size:
        return np.empty(0, dtype=np.uint64)
    return _fmix64(_windows(hashes, size))


def _segment_shingles(hashes: U64, windows: U64, lengths: I64, size: int) -> tuple[U64, I64]:
    """Shingle ids of consecutive runs of `lengths` tokens, each run shingled on its own, and how many each has.

    `windows` is `_full_windows(hashes, size)`: the runs' ids are those of the windows lying inside them.
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


def _plain_hashes(paragraphs: list[str]) -> tuple[U64, I64]:
    """Token hashes and per-paragraph token counts of paragraphs that are all `is_plain`."""
    text = "\n".join(paragraphs)  # a non-word byte, so no token runs across paragraphs
    data = np.frombuffer(utf8(text).lower(), dtype=np.uint8)  # bytes.lower(): ASCII letters only
    starts, ends = plain_word_bounds(data)
    if text.isascii():
        sizes = np.fromiter(map(len, paragraphs), dtype=np.intp, count=len(paragraphs))
    else:
        sizes = np.fromiter((len(utf8(p)) for p in paragraphs), dtype=np.intp, count=len(paragraphs))
    first = np.searchsorted(starts, np.cumsum(sizes + 1) - (sizes + 1))
    counts = np.diff(first, append=len(starts)).astype(np.int64)
    return _span_hashes(data, starts, ends), counts


def _paragraph_hashes(paragraphs: list[str]) -> tuple[U64, I64]:
    """Token hashes of all paragraphs, in order, and each paragraph's token count."""
    plain = [is_plain(p) for p in paragraphs]
    if all(plain):
        return _plain_hashes(paragraphs)
    fast = [i for i, ok in enumerate(plain) if ok]
    slow = [i for i, ok in enumerate(plain) if not ok]
    fast_hashes, fast_counts = _plain_hashes([paragraphs[i] for i in fast])
    words = [tokenize(paragraphs[i]).words for i in slow]
    slow_counts = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    counts = np.empty(len(paragraphs), dtype=np.int64)
    counts[fast], counts[slow] = fast_counts, slow_counts
    owner = np.concatenate([np.repeat(fast, fast_counts), np.repeat(slow, slow_counts)])
    hashes = np.concatenate([fast_hashes, token_hashes([w for ws in words for w in ws])])
    return hashes[np.argsort(owner, kind="stable")], counts


@dataclass(frozen=True, slots=True)
class _Batch:
    """Documents tokenised and hashed together, and split into passages."""

    hashes: U64  # every token of every document, in order
    doc_tokens: I64  # per document
    passage_tokens: I64  # per passage, the passages of all documents in order
    doc_passages: I64  # passages per document


def passage_sizes(paragraph_tokens: list[int], min_tokens: int = PASSAGE_MIN_TOKENS) -> list[int]:
    """The token count of each of `passage_spans(paragraph_tokens)`, without building the spans."""
    sizes: list[int] = []
    acc = 0
    pending = False  # paragraphs after the last passage closed
    for count in paragraph_tokens:
        acc += count
        pending = True
        if acc >= min_tokens:
            sizes.append(acc)
            acc, pending = 0, False
    if pending:
        if sizes:
            sizes[-1] += acc
        else:
            sizes.append(acc)
    return sizes


def _tokenize_batch(docs: Sequence[Sequence[str]]) -> _Batch:
    hashes, paragraph_tokens = _paragraph_hashes([p for doc in docs for p in doc])
    counts = paragraph_tokens.tolist()
    doc_tokens: list[int] = []
    passage_tokens: list[int] = []
    doc_passages: list[int] = []
    i = 0
    for doc in docs:
        mine = counts[i : i + len(doc)]
        i += len(doc)
        sizes = passage_sizes(mine)
        passage_tokens += sizes
        doc_passages.append(len(sizes))
        doc_tokens.append(sum(sizes))
    return _Batch(
        hashes,
        np.array(doc_tokens, dtype=np.int64),
        np.array(passage_tokens, dtype=np.int64),
        np.array(doc_passages, dtype=np.int64),
    )


def _batches(docs: Iterable[Sequence[str]]) -> Iterator[list[Sequence[str]]]:
    """Consecutive runs of `docs` of about BATCH_CHARS characters (at least one document)."""
    batch: list[Sequence[str]] = []
    size = 0
    for doc in docs:
        if isinstance(doc, str):  # a str is a Sequence[str] too: of one-letter paragraphs
            raise TypeError(f"a doc is a sequence of paragraphs, not a str: got {doc[:40]!r}")
        batch.append(doc)
        size += sum(map(len, doc))
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def band_keys(signatures: U32, params: LshParams = LshParams()) -> U32:
    """Step 4: the `bands` LSH keys of each signature (shape (..., >= bands*rows) -> (..., bands))."""
    used = params.bands * params.rows
    if signatures.shape[-1] < used:
        raise ValueError(f"signatures have {signatures.shape[-1]} values, band keys need {used}")
    values = signatures[..., :used].reshape(-1, params.bands, params.rows).astype(np.uint64)
    h = np.broadcast_to(np.arange(params.bands, dtype=np.uint64), values.shape[:2]).copy()
    for r in range(params.rows):
        h *= _MIX
        h += values[:, :, r]
    keys = (_fmix64(h) >> np.uint64(32)).astype(np.uint32)
    return keys.reshape(*signatures.shape[:-1], params.bands)


def _batch_band_keys(batch: _Batch, params: LshParams) -> list[U32]:
    windows = _full_windows(batch.hashes, params.shingle_size)
    ids, counts = _segment_shingles(batch.hashes, windows, batch.passage_tokens, params.shingle_size)
    a, b = permutations(params.num_perm, params.seed)
    used = params.bands * params.rows
    keys = band_keys(_segment_minhash(ids, counts, a[:used], b[:used]), params)
    docs = len(batch.doc_passages)
    doc_of_passage = np.repeat(np.arange(docs, dtype=np.uint64), batch.doc_passages)
    keep = counts > 0  # a passage without words has no signature worth a key
    tagged = ((doc_of_passage[keep] << np.uint64(32))[:, None] | keys[keep]).ravel()
    tagged.sort()
    first = np.ones(len(tagged), dtype=bool)
    np.not_equal(tagged[1:], tagged[:-1], out=first[1:])
    tagged = tagged[first]
    bounds = np.searchsorted(tagged >> np.uint64(32), np.arange(docs + 1, dtype=np.uint64))
    return np.split((tagged & _LOW32).astype(np.uint32), bounds[1:-1])


def _batch_content_keys(batch: _Batch) -> npt.NDArray[np.int64]:
    ends = np.cumsum(batch.doc_tokens)
    exponents = np.repeat(ends - 1, batch.doc_tokens) - np.arange(len(batch.hashes))
    weighted = batch.hashes * _MIX_POWERS.upto(int(batch.doc_tokens.max(initial=0)))[exponents]
    sums = np.zeros(len(ends), dtype=np.uint64)
    nonempty = batch.doc_tokens > 0
    if nonempty.any():
        sums[nonempty] = np.add.reduceat(weighted, (ends - batch.doc_tokens)[nonempty])
    return (_fmix64(sums) >> np.uint64(1)).astype(np.int64)


def passage_band_keys(docs: Iterable[Sequence[str]], params: LshParams = LshParams()) -> list[U32]:
    """For each doc (a sequence of paragraphs), the LSH band keys of all its passages (unique, uint32).

    A passage is what `passage_spans` groups (paragraphs merged to >= 40 tokens); a passage
    without words has no keys. Band key: step 4 of the scheme over the passage's MinHash
    values for the first bands*rows permutations, which equal those of `minhash` over its shingles.
    """
    return [keys for chunk in _batches(docs) for keys in _batch_band_keys(_tokenize_batch(chunk), params)]


def query_band_keys(paragraphs: Sequence[str], params: LshParams = LshParams()) -> U32:
    """Band keys to look a document up with: those of the passage starting at *every* paragraph.

    An indexed passage is the greedy group (`passage_spans`) that starts at some paragraph, so a
    copy whose paragraphs group differently still meets each of the original's groups: one added
    intro line would otherwise shift every group of short paragraphs after it. Groups that run to
    the end are added too, since a short last group merges into the one before it.
    """
    counts = _paragraph_hashes(list(paragraphs))[1].tolist() if paragraphs else []
    groups: list[Sequence[str]] = []
    for start in range(len(paragraphs)):
        end, acc = start, 0
        while end < len(paragraphs) and acc < PASSAGE_MIN_TOKENS:
            acc += counts[end]
            end += 1
        groups.append(paragraphs[start:end])
        if end < len(paragraphs) and sum(counts[end:]) < PASSAGE_MIN_TOKENS:
            groups.append(paragraphs[start:])
    keys = passage_band_keys(groups, params)
    return np.unique(np.concatenate(keys)) if keys else np.empty(0, dtype=np.uint32)


def content_keys(docs: Iterable[Sequence[str]]) -> npt.NDArray[np.int64]:
    """`content_key` of each doc, as int64 (never negative)."""
    keys = [_batch_content_keys(_tokenize_batch(chunk)) for chunk in _batches(docs)]
    return np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)


def content_key(paragraphs: Sequence[str]) -> int:
    """A 63-bit hash of the normalised token sequence, for finding identical texts (0 for no words).

    Paragraph breaks, case, punctuation and disguises do not change it; any word does.
    """
    return int(content_keys([paragraphs])[0])


def index_keys(
    docs: Iterable[Sequence[str]], params: LshParams = LshParams()
) -> tuple[list[U32], npt.NDArray[np.int64]]:
    """`passage_band_keys` and `content_keys` of the same docs, tokenising them once."""
    bands: list[U32] = []
    contents: list[npt.NDArray[np.int64]] = []
    for chunk in _batches(docs):
        batch = _tokenize_batch(chunk)
        bands += _batch_band_keys(batch, params)
        contents.append(_batch_content_keys(batch))
    return bands, np.concatenate(contents) if contents else np.empty(0, dtype=np.int64)


def _count_distinct(values: U64) -> int:
    ordered = np.sort(values)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + (len(ordered) > 0)


def _batch_fingerprints(batch: _Batch, params: ShingleParams) -> list[Fingerprint]:
    a, b = permutations(params.num_perm, params.seed)
    windows = _full_windows(batch.hashes, params.size)
    whole_ids, whole_counts = _segment_shingles(batch.hashes, windows, batch.doc_tokens, params.size)
    passage_ids, passage_counts = _segment_shingles(batch.hashes, windows, batch.passage_tokens, params.size)
    signatures = _segment_minhash(
        np.concatenate([whole_ids, passage_ids]), np.concatenate([whole_counts, passage_counts]), a, b
    )
    whole, passages = signatures[: len(whole_counts)], signatures[len(whole_counts) :]
    fingerprints = []
    id_end = np.cumsum(whole_counts).tolist()
    passage_end = np.cumsum(batch.doc_passages).tolist()
    for i, (n, p) in enumerate(zip(whole_counts.tolist(), batch.doc_passages.tolist(), strict=True)):
        distinct = _count_distinct(whole_ids[id_end[i] - n : id_end[i]])
        own = passages[passage_end[i] - p : passage_end[i]]
        fingerprints.append(Fingerprint(params, whole[i], tuple(own), distinct))
    return fingerprints


def fingerprint_batch(docs: Iterable[Sequence[str]], params: ShingleParams) -> list[Fingerprint]:
    """`fingerprint_paragraphs` of each doc, computed together."""
    return [fp for chunk in _batches(docs) for fp in _batch_fingerprints(_tokenize_batch(chunk), params)]


def fingerprint_paragraphs(paragraphs: Sequence[str], params: ShingleParams) -> Fingerprint:
    """MinHash of the whole text (shingles run across paragraphs) and of each passage (`passage_spans`)."""
    return _batch_fingerprints(_tokenize_batch([paragraphs]), params)[0]


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
