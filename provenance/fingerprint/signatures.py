"""`Fingerprint`: a text's MinHash signatures, whole and per passage, computed for many texts at once.

The pipeline never makes one (`compare` signs a text through `minhash`, the index files it
under `keys`); the tests and benchmarks of the scheme do, to check the two ways in agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from provenance.fingerprint.batch import Batch, batches, tokenize_batch
from provenance.fingerprint.hashing import U64, full_windows, segment_shingles
from provenance.fingerprint.minhash import Signature, permutations, segment_minhash
from provenance.model import ShingleParams


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A text's MinHash signatures, whole and per passage: enough to compare two texts later without them
    (`fingerprint_paragraphs`). Nothing public returns one; the tests and benchmarks of the scheme do."""

    params: ShingleParams
    signature: Signature  # MinHash of the whole body
    passages: tuple[Signature, ...]  # MinHash per passage (short paragraphs merged)
    shingle_count: int


def _count_distinct(values: U64) -> int:
    ordered = np.sort(values)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + (len(ordered) > 0)


def _batch_fingerprints(batch: Batch, params: ShingleParams) -> list[Fingerprint]:
    a, b = permutations(params.num_perm, params.seed)
    windows = full_windows(batch.hashes, params.size)
    whole_ids, whole_counts = segment_shingles(batch.hashes, windows, batch.doc_tokens, params.size)
    passage_ids, passage_counts = segment_shingles(batch.hashes, windows, batch.passage_tokens, params.size)
    signatures = segment_minhash(
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
    return [fp for chunk in batches(docs) for fp in _batch_fingerprints(tokenize_batch(chunk), params)]


def fingerprint_paragraphs(paragraphs: Sequence[str], params: ShingleParams) -> Fingerprint:
    """MinHash of the whole text (shingles run across paragraphs) and of each passage (`passage_spans`)."""
    return _batch_fingerprints(tokenize_batch([paragraphs]), params)[0]


def fingerprint_text(text: str, params: ShingleParams) -> Fingerprint:
    return fingerprint_paragraphs(tuple(p for p in text.split("\n") if p.strip()), params)
