"""What an index files a text under, computed for many texts at once: the LSH band keys of its
passages (step 4 of the scheme, see the package) and a content key of the whole token sequence.
`index.keys` decides which texts and parameters; this module only computes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.fingerprint.batch import (
    PASSAGE_MIN_TOKENS,
    Batch,
    batches,
    paragraph_hashes,
    tokenize_batch,
)
from provenance.fingerprint.hashing import MIX, U32, PowerTable, fmix64, full_windows, segment_shingles
from provenance.fingerprint.minhash import permutations, segment_minhash
from provenance.model import ShingleParams

_LOW32 = np.uint64(0xFFFFFFFF)
_MIX_POWERS = PowerTable(int(MIX))


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


def band_keys(signatures: U32, params: LshParams = LshParams()) -> U32:
    """Step 4: the `bands` LSH keys of each signature (shape (..., >= bands*rows) -> (..., bands))."""
    used = params.bands * params.rows
    if signatures.shape[-1] < used:
        raise ValueError(f"signatures have {signatures.shape[-1]} values, band keys need {used}")
    values = signatures[..., :used].reshape(-1, params.bands, params.rows).astype(np.uint64)
    h = np.broadcast_to(np.arange(params.bands, dtype=np.uint64), values.shape[:2]).copy()
    for r in range(params.rows):
        h *= MIX
        h += values[:, :, r]
    keys = (fmix64(h) >> np.uint64(32)).astype(np.uint32)
    return keys.reshape(*signatures.shape[:-1], params.bands)


def _batch_band_keys(batch: Batch, params: LshParams) -> list[U32]:
    windows = full_windows(batch.hashes, params.shingle_size)
    ids, counts = segment_shingles(batch.hashes, windows, batch.passage_tokens, params.shingle_size)
    a, b = permutations(params.num_perm, params.seed)
    used = params.bands * params.rows
    keys = band_keys(segment_minhash(ids, counts, a[:used], b[:used]), params)
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


def _batch_content_keys(batch: Batch) -> npt.NDArray[np.int64]:
    ends = np.cumsum(batch.doc_tokens)
    exponents = np.repeat(ends - 1, batch.doc_tokens) - np.arange(len(batch.hashes))
    weighted = batch.hashes * _MIX_POWERS.upto(int(batch.doc_tokens.max(initial=0)))[exponents]
    sums = np.zeros(len(ends), dtype=np.uint64)
    nonempty = batch.doc_tokens > 0
    if nonempty.any():
        sums[nonempty] = np.add.reduceat(weighted, (ends - batch.doc_tokens)[nonempty])
    return (fmix64(sums) >> np.uint64(1)).astype(np.int64)


def passage_band_keys(docs: Iterable[Sequence[str]], params: LshParams = LshParams()) -> list[U32]:
    """For each doc (a sequence of paragraphs), the LSH band keys of all its passages (unique, uint32).

    A passage is what `passage_spans` groups (paragraphs merged to >= 40 tokens); a passage
    without words has no keys. Band key: step 4 of the scheme over the passage's MinHash
    values for the first bands*rows permutations, which equal those of `minhash` over its shingles.
    """
    return [keys for chunk in batches(docs) for keys in _batch_band_keys(tokenize_batch(chunk), params)]


def query_band_keys(paragraphs: Sequence[str], params: LshParams = LshParams()) -> U32:
    """Band keys to look a document up with: those of the passage starting at *every* paragraph.

    An indexed passage is the greedy group (`passage_spans`) that starts at some paragraph, so a
    copy whose paragraphs group differently still meets each of the original's groups: one added
    intro line would otherwise shift every group of short paragraphs after it. Groups that run to
    the end are added too, since a short last group merges into the one before it.
    """
    counts = paragraph_hashes(list(paragraphs))[1].tolist() if paragraphs else []
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
    keys = [_batch_content_keys(tokenize_batch(chunk)) for chunk in batches(docs)]
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
    for chunk in batches(docs):
        batch = tokenize_batch(chunk)
        bands += _batch_band_keys(batch, params)
        contents.append(_batch_content_keys(batch))
    return bands, np.concatenate(contents) if contents else np.empty(0, dtype=np.int64)
