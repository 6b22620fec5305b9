"""Many texts tokenised and hashed at once over their UTF-8 bytes (step 1 of the scheme, with numpy),
and grouped into passages: what the index's keys and the scheme's `Fingerprint`s are made from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from provenance.fingerprint.hashing import I64, U64, span_hashes, token_hashes
from provenance.normalize import is_plain, plain_word_bounds, tokenize, utf8

# Passages shorter than this many tokens are merged with the next paragraph:
# a one-line paragraph has too few shingles for a stable signature.
PASSAGE_MIN_TOKENS = 40
# The batch functions work through their documents this many characters at a
# time: big enough to amortise numpy's per-call cost, small enough that the
# working arrays stay in the CPU caches and memory stays bounded.
BATCH_CHARS = 1 << 18


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
    return span_hashes(data, starts, ends), counts


def paragraph_hashes(paragraphs: list[str]) -> tuple[U64, I64]:
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
class Batch:
    """Documents tokenised and hashed together, and split into passages."""

    hashes: U64  # every token of every document, in order
    doc_tokens: I64  # per document
    passage_tokens: I64  # per passage, the passages of all documents in order
    doc_passages: I64  # passages per document


def tokenize_batch(docs: Sequence[Sequence[str]]) -> Batch:
    hashes, paragraph_tokens = paragraph_hashes([p for doc in docs for p in doc])
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
    return Batch(
        hashes,
        np.array(doc_tokens, dtype=np.int64),
        np.array(passage_tokens, dtype=np.int64),
        np.array(doc_passages, dtype=np.int64),
    )


def batches(docs: Iterable[Sequence[str]]) -> Iterator[list[Sequence[str]]]:
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
