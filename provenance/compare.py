"""Exact overlap between an article and one candidate: shares, Jaccard and aligned passages."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.alignment import Sentence, align, sentences
from provenance.fingerprint.hashing import U64, shingle_ids, token_hashes
from provenance.fingerprint.minhash import Signature, estimate_jaccard, minhash
from provenance.model import Article, Candidate, Match, Passage, ShingleParams
from provenance.normalize import Tokens, tokenize
from provenance.speech import speech_spans

# Word pairs made only of these say nothing about shared wording ("of the").
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "s",
        "said",
        "says",
        "she",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "not",
        "after",
        "also",
        "more",
        "than",
        "into",
        "over",
        "about",
        "up",
        "out",
        "new",
        "one",
        "two",
    ]
)
_MAX_ANCHORS = 8  # candidate positions tried per repeated shingle when aligning


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article's text, tokenised and shingled once, for comparing with many candidates."""

    text: str
    tokens: Tokens
    ids: U64  # shingle ids in text order
    unique: U64
    unquoted: U64  # unique ids of shingles with no word in someone's words (provenance.speech)
    pairs: U64  # unique ids of word pairs outside quotations, stopword pairs left out
    all_pairs: U64  # unique ids of every word pair
    quoted_tokens: npt.NDArray[np.bool_]
    signature: Signature
    sentences: tuple[Sentence, ...]  # the text's own sentences, for ordered alignment


def _quoted_mask(tokens: Tokens, spans: list[tuple[int, int]]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(tokens), dtype=bool)
    starts = tokens.starts
    for begin, end in spans:
        lo = bisect.bisect_left(starts, begin)
        hi = bisect.bisect_left(starts, end)
        mask[lo:hi] = True
    return mask


def _window_counts(mask: npt.NDArray[np.bool_], size: int) -> tuple[npt.NDArray[np.intp], int]:
    """For each window of `size` tokens (one window for a shorter text), how many tokens are set; and the width."""
    k = min(size, len(mask))
    total = np.concatenate([[0], np.cumsum(mask)])
    return total[k:] - total[:-k], k


def _windows_all(mask: npt.NDArray[np.bool_], size: int) -> npt.NDArray[np.bool_]:
    """For each window of `size` tokens, whether every token in it is set."""
    if len(mask) == 0:
        return mask
    counts, k = _window_counts(mask, size)
    full: npt.NDArray[np.bool_] = counts == k
    return full


def _windows_any(mask: npt.NDArray[np.bool_], size: int) -> npt.NDArray[np.bool_]:
    """For each window of `size` tokens, whether any token in it is set."""
    if len(mask) == 0:
        return mask
    counts, _ = _window_counts(mask, size)
    some: npt.NDArray[np.bool_] = counts > 0
    return some


def prepare(article: Article, params: ShingleParams) -> Prepared:
    text = article.text
    tokens = tokenize(text)
    hashes = token_hashes(tokens.words)
    ids = shingle_ids(hashes, params.size)
    speech = speech_spans(text)
    quoted = _quoted_mask(tokens, speech)
    # A shingle reaching into a quotation is the quotation's: the few words that frame a quote
    # ("she said in a statement") are the same in every report of it.
    unquoted = ids[~_windows_any(quoted, params.size)]
    pair_ids = shingle_ids(hashes, 2)
    keep = ~_windows_all(quoted, 2)
    if len(tokens) >= 2:
        stop = np.fromiter((w in _STOPWORDS for w in tokens.words), dtype=bool, count=len(tokens))
        keep &= ~(stop[:-1] & stop[1:])
    unique = np.unique(ids)
    return Prepared(
        text=text,
        tokens=tokens,
        ids=ids,
        unique=unique,
        unquoted=np.unique(unquoted),
        pairs=np.unique(pair_ids[keep[: len(pair_ids)]]),
        all_pairs=np.unique(pair_ids),
        quoted_tokens=quoted,
        signature=minhash(unique, params),
        sentences=tuple(sentences(text, speech)),
    )


def _share(part: U64, whole: U64, of: int) -> float:
    if of == 0:
        return 0.0
    return float(np.isin(part, whole, assume_unique=True).sum()) / of


def _runs(a: list[int], c: list[int]) -> list[tuple[int, int, int]]:
    """Greedy longest runs of equal shingles: (article index, candidate index, length)."""
    where: dict[int, list[int]] = defaultdict(list)
    for j, h in enumerate(c):
        where[h].append(j)
    runs: list[tuple[int, int, int]] = []
    i, na, nc = 0, len(a), len(c)
    while i < na:
        best_len, best_j = 0, -1
        for j in where.get(a[i], ())[:_MAX_ANCHORS]:
            length = 1
            while i + length < na and j + length < nc and a[i + length] == c[j + length]:
                length += 1
            if length > best_len:
                best_len, best_j = length, j
        if best_len:
            runs.append((i, best_j, best_len))
            i += best_len
        else:
            i += 1
    return runs


def _merge(runs: list[tuple[int, int, int]], gap: int) -> list[tuple[int, int, int, int]]:
    """Join runs split by a word or two of edits: (a_first, a_last, c_first, c_last) shingle indices."""
    merged: list[tuple[int, int, int, int]] = []
    for i, j, length in runs:
        if merged:
            a0, a1, c0, c1 = merged[-1]
            if 0 <= i - a1 <= gap + 1 and 0 <= j - c1 <= gap + 1:
                merged[-1] = (a0, i + length - 1, c0, j + length - 1)
                continue
        merged.append((i, i + length - 1, j, j + length - 1))
    return merged


def passages(a: Prepared, c: Prepared, size: int, min_tokens: int) -> tuple[Passage, ...]:
    found: list[Passage] = []
    last_a, last_c = len(a.tokens) - 1, len(c.tokens) - 1
    for a0, a1, c0, c1 in _merge(_runs(a.ids.tolist(), c.ids.tolist()), size):
        a_end = min(a1 + size - 1, last_a)
        c_end = min(c1 + size - 1, last_c)
        if a_end - a0 + 1 < min_tokens:
            continue
        start, end = a.tokens.starts[a0], a.tokens.ends[a_end]
        found.append(
            Passage(
                article_start=start,
                article_end=end,
                candidate_start=c.tokens.starts[c0],
                candidate_end=c.tokens.ends[c_end],
                text=a.text[start:end],
                quoted=bool(a.quoted_tokens[a0 : a_end + 1].all() or c.quoted_tokens[c0 : c_end + 1].all()),
            )
        )
    return tuple(found)


def compare(article: Prepared, candidate: Candidate, candidate_text: Prepared, params: ShingleParams) -> Match:
    """How `article` and `candidate` (whose prepared text is `candidate_text`) overlap; symmetric but for direction."""
    a, c = article, candidate_text
    common = int(np.isin(a.unique, c.unique, assume_unique=True).sum())
    union = len(a.unique) + len(c.unique) - common
    # Shared text counts as copied only where neither page presents it as someone's words: two
    # reports quoting one statement share it, one with quotation marks and one without.
    unquoted = int(np.isin(a.unquoted, c.unquoted, assume_unique=True).sum())
    return Match(
        candidate=candidate,
        jaccard=common / union if union else 0.0,
        jaccard_estimate=estimate_jaccard(a.signature, c.signature),
        copied_share=common / len(a.unique) if len(a.unique) else 0.0,
        reproduced_share=common / len(c.unique) if len(c.unique) else 0.0,
        unquoted_copied_share=unquoted / len(a.unique) if len(a.unique) else 0.0,
        unquoted_reproduced_share=unquoted / len(c.unique) if len(c.unique) else 0.0,
        phrase_overlap=_share(a.pairs, c.all_pairs, len(a.pairs)),
        passages=passages(a, c, params.size, min_tokens=params.size + 3),
        alignment=align(a.sentences, c.sentences),
    )
