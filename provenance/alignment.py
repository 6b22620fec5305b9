"""Ordered sentence alignment: whether one text renders the other sentence by sentence.

A rewrite keeps few five-word runs but follows its source sentence by sentence, in order, each
sentence keeping much of the source sentence's content words, its names and its figures. Two
reports of one event share the names, places and figures too, but tell them in sentences of their
own, in an order of their own: a few of their sentences pair up, not a chain covering either text.

Sentences that are mostly someone's words (`speech.speech_spans`) are left out: two pages quoting
one statement are not rendering each other. The chain is the longest run of sentence pairs,
increasing in both texts, whose similarity reaches `MIN_SIMILARITY` and whose figures and names
do not contradict each other. Similarity is the share of the shorter sentence's content words
(stemmed, stopwords left out) that the other sentence has: a rewrite splits and merges sentences,
and a sentence split in two still has each half's words in the source sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from provenance.model import Alignment, SentencePair
from provenance.normalize import tokenize

MIN_SIMILARITY = 0.6
MIN_SHARED = 3  # content words two sentences must share to pair at all
MAX_SENTENCES = 600  # per text; alignment is quadratic in the worst case, and articles rarely reach it
_MIN_CONTENT = 3  # content words a sentence needs to be aligned at all
# Ends of sentences: a full stop, question or exclamation mark (with closing quotes or brackets),
# then space and what starts a sentence; or a line break.
# A run of stops is tried from its first stop only, and nothing is given back (possessive):
# linear on "!!!!..." (each stop of the run used to rescan the rest of it).
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+\s++(?=[\"“‘(\[]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Jr|Sr|No|Vol|[A-Z])\.)$")
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    between both but by can could did do does doing down during each even few for from further had has
    have having he her here hers him his how however i if in into is it its itself just last may might
    more most much must my new no nor not now of off on once one only or other our ours out over own per
    said same say says she should since so some such than that the their theirs them then there these
    they this those though through to too two under until up upon us very via was we were what when
    where which while who whom whose why will with within without would yet you your year years people
    told according""".split()  # noqa: SIM905 - a word list reads better as words
)
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    content: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]


def _stem(word: str) -> str:
    """A crude English stem, enough for "killed"/"killing"/"kills" to meet."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start() + 1):
            continue
        bounds.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _in_speech(start: int, end: int, speech: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in speech if s < end and e > start)


def sentences(text: str, speech: Sequence[tuple[int, int]]) -> list[Sentence]:
    """The text's own sentences (not mostly speech) that carry enough content words to align."""
    found: list[Sentence] = []
    for start, end in _sentence_bounds(text):
        if end - start < 2 or 2 * _in_speech(start, end, speech) > end - start:
            continue
        piece = text[start:end]
        tokens = tokenize(piece)
        content = frozenset(_stem(w) for w in tokens.words if w not in _STOPWORDS and (len(w) > 2 or w.isdigit()))
        if len(content) < _MIN_CONTENT:
            continue
        numbers = frozenset(w for w in tokens.words if _NUMBER.search(w))
        # Capitalised words after the first: names, places, organisations.
        names = frozenset(
            w
            for w, s in zip(tokens.words[1:], tokens.starts[1:], strict=True)
            if piece[s].isupper() and w not in _STOPWORDS
        )
        found.append(Sentence(start, end, content, numbers, names))
        if len(found) >= MAX_SENTENCES:
            break
    return found


def _similar(a: Sentence, b: Sentence, shared: int) -> float:
    """Overlap coefficient of content words; 0 when the figures or the names say they are different facts."""
    if shared < MIN_SHARED:
        return 0.0
    if a.numbers and b.numbers and not (a.numbers & b.numbers):
        return 0.0
    if a.names and b.names and not (a.names & b.names):
        return 0.0
    return shared / min(len(a.content), len(b.content))


def align(article: Sequence[Sentence], candidate: Sequence[Sentence]) -> Alignment:
    """The longest chain of similar sentence pairs in the same order in both texts."""
    where: dict[str, list[int]] = defaultdict(list)
    for j, sentence in enumerate(candidate):
        for word in sentence.content:
            where[word].append(j)
    scored: dict[tuple[int, int], float] = {}
    for i, sentence in enumerate(article):
        counts: dict[int, int] = defaultdict(int)
        for word in sentence.content:
            for j in where.get(word, ()):
                counts[j] += 1
        for j, shared in counts.items():
            similarity = _similar(sentence, candidate[j], shared)
            if similarity >= MIN_SIMILARITY:
                scored[i, j] = similarity
    pairs = tuple(
        SentencePair(article[i].start, article[i].end, candidate[j].start, candidate[j].end, round(scored[i, j], 4))
        for i, j in longest_chain(list(scored))
    )
    return Alignment(pairs, len(article), len(candidate))


def longest_chain(points: Sequence[tuple[int, int]], *, strict: bool = True) -> list[tuple[int, int]]:
    """The longest run of points going forward in both coordinates, in order (patience sorting).

    `strict`: both coordinates increase, so no point of the run shares either with another;
    otherwise both may stay (a paragraph of one page facing two of the other).
    """
    # With equal first coordinates, the second ones in descending order can join a strict run
    # only one at a time; in ascending order, all of them in a non-strict one.
    ordered = sorted(points, key=lambda p: (p[0], -p[1] if strict else p[1]))
    place = bisect.bisect_left if strict else bisect.bisect_right
    tails: list[int] = []  # tails[k]: the smallest second coordinate ending a run of k + 1 points
    ends: list[int] = []  # index into `ordered` of that run's last point
    back: list[int] = []
    for n, (_, second) in enumerate(ordered):
        k = place(tails, second)
        back.append(ends[k - 1] if k else -1)
        if k == len(tails):
            tails.append(second)
            ends.append(n)
        else:
            tails[k] = second
            ends[k] = n
    run: list[tuple[int, int]] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        run.append(ordered[n])
        n = back[n]
    return run[::-1]
