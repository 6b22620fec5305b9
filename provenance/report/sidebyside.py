"""The article and a page it shares text with, paragraph by paragraph, with the shared text marked.

Passages are spans of `Article.text` (paragraphs joined by a blank line) in both pages, and one
passage may run over many paragraphs. Here they become marks cut at paragraph ends, and the two
pages' paragraphs are paired where marks link them, in order, so the HTML report can set them
side by side. Plain data in and out: no markup is made here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from provenance.alignment import longest_chain
from provenance.model import Article, Match

SEPARATOR = 2  # characters between paragraphs in Article.text ("\n\n")

# What a span of text is, from the strongest claim down: where marks overlap, the first kind wins.
COPIED, QUOTED, SECOND, REWRITE = "copied", "quoted", "second", "rewrite"
_PRIORITY = {COPIED: 0, QUOTED: 0, SECOND: 1, REWRITE: 2}
PALETTE_SIZE = 6  # colours copied passages cycle through; the label tells passages of one colour apart


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of one page's text, labelled the same on both sides of the comparison."""

    start: int
    end: int
    kind: str  # COPIED, QUOTED, SECOND, REWRITE
    label: str  # "3", "Q4", "S1", "R2": shown in the text, the legend and the minimap
    colour: int  # index into the palette of its kind


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    mark: Mark | None
    labelled: bool  # the first piece of its mark in the paragraph: it carries the label
    first: bool = False  # the first piece of its label in the page: the minimap links to it


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int  # 0-based, in Article.paragraphs
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """Paragraphs of the article and of the other page that belong side by side (either may be empty)."""

    article: tuple[Paragraph, ...]
    other: tuple[Paragraph, ...]
    linked: bool  # shared text joins the two sides; False: what lies between linked rows


def starts(article: Article) -> list[int]:
    """The offset in Article.text where each paragraph starts."""
    found, at = [], 0
    for para in article.paragraphs:
        found.append(at)
        at += len(para) + SEPARATOR
    return found


def paragraph_at(offsets: Sequence[int], offset: float) -> int:
    return max(0, bisect_right(offsets, offset) - 1)


def passage_marks(match: Match) -> tuple[list[Mark], list[Mark]]:
    """Each passage marked in the article and in the candidate under one label; quotations apart."""
    article, other = [], []
    for number, p in enumerate(match.passages, 1):
        kind = QUOTED if p.quoted else COPIED
        label = f"Q{number}" if p.quoted else str(number)
        colour = (number - 1) % PALETTE_SIZE
        article.append(Mark(p.article_start, p.article_end, kind, label, colour))
        other.append(Mark(p.candidate_start, p.candidate_end, kind, label, colour))
    return article, other


def sentence_marks(match: Match) -> tuple[list[Mark], list[Mark]]:
    """A rewrite's aligned sentence pairs: it keeps few exact passages, so its sentences are what line up."""
    article, other = [], []
    for number, pair in enumerate(match.alignment.pairs, 1):
        colour = (number - 1) % PALETTE_SIZE
        article.append(Mark(pair.article_start, pair.article_end, REWRITE, f"R{number}", colour))
        other.append(Mark(pair.candidate_start, pair.candidate_end, REWRITE, f"R{number}", colour))
    return article, other


def second_source_marks(sources: Sequence[Match]) -> list[Mark]:
    """The article's passages from each uncredited second source, labelled S1, S2, ... (someone's words left out)."""
    return [
        Mark(p.article_start, p.article_end, SECOND, f"S{number}", (number - 1) % 2)
        for number, match in enumerate(sources, 1)
        for p in match.passages
        if not p.quoted
    ]


def pieces(text: str, start: int, marks: Sequence[Mark]) -> tuple[Piece, ...]:
    """`text` (starting at `start` in its page) cut where marks begin and end; overlaps go to the stronger mark."""
    end = start + len(text)
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = sorted({start, end, *(max(start, m.start) for m in inside), *(min(end, m.end) for m in inside)})
    found: list[Piece] = []
    seen: set[int] = set()
    for a, b in pairwise(cuts):
        covering = [m for m in inside if m.start <= a and m.end >= b]
        mark = min(covering, key=lambda m: _PRIORITY[m.kind], default=None)
        piece_text = text[a - start : b - start]
        if found and found[-1].mark is mark:
            found[-1] = Piece(found[-1].text + piece_text, mark, found[-1].labelled)
            continue
        labelled = mark is not None and id(mark) not in seen
        if mark is not None:
            seen.add(id(mark))
        found.append(Piece(piece_text, mark, labelled))
    return tuple(p for p in found if p.text)


def paragraphs(article: Article, marks: Sequence[Mark]) -> list[Paragraph]:
    seen: set[str] = set()
    found = []
    for i, (text, at) in enumerate(zip(article.paragraphs, starts(article), strict=True)):
        cut = []
        for piece in pieces(text, at, marks):
            if piece.mark is not None and piece.mark.label not in seen:
                seen.add(piece.mark.label)
                piece = replace(piece, first=True)
            cut.append(piece)
        found.append(Paragraph(i, tuple(cut)))
    return found


def links(article: Article, other: Article, match: Match, sentences: bool) -> set[tuple[int, int]]:
    """(article paragraph, other paragraph) pairs that share text.

    A passage running over several paragraphs pairs each of its paragraphs on one side with the
    paragraph at the same relative place on the other: the two texts match word for word there,
    but spacing and punctuation may make their lengths differ a little.
    """
    a_starts, o_starts = starts(article), starts(other)
    a_len, o_len = len(article.text), len(other.text)
    found: set[tuple[int, int]] = set()
    for p in match.passages:
        a_span, o_span = (p.article_start, p.article_end), (p.candidate_start, p.candidate_end)
        for i, middle in _middles(a_starts, a_len, *a_span):
            found.add((i, paragraph_at(o_starts, _same_place(middle, a_span, o_span))))
        for j, middle in _middles(o_starts, o_len, *o_span):
            found.add((paragraph_at(a_starts, _same_place(middle, o_span, a_span)), j))
    if sentences:
        for pair in match.alignment.pairs:
            found.add((paragraph_at(a_starts, pair.article_start), paragraph_at(o_starts, pair.candidate_start)))
    return found


def _middles(offsets: Sequence[int], length: int, start: int, end: int) -> list[tuple[int, float]]:
    """Each paragraph the span touches, with the middle of the part of it inside the span."""
    found = []
    for i in range(paragraph_at(offsets, start), paragraph_at(offsets, max(start, end - 1)) + 1):
        para_end = offsets[i + 1] - SEPARATOR if i + 1 < len(offsets) else length
        lo, hi = max(start, offsets[i]), min(end, para_end)
        if hi > lo:
            found.append((i, (lo + hi) / 2))
    return found


def _same_place(offset: float, span: tuple[int, int], onto: tuple[int, int]) -> float:
    share = (offset - span[0]) / max(1, span[1] - span[0])
    return onto[0] + share * (onto[1] - onto[0])


def chain(pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs that goes forward (or stays) in both pages: the order both texts agree on.

    A paragraph moved out of order on one side stays unpaired rather than pulling every
    paragraph between into one row.
    """
    return longest_chain(sorted(pairs), strict=False)


def rows(article: list[Paragraph], other: list[Paragraph], pairs: set[tuple[int, int]]) -> list[Row]:
    """Linked groups of paragraphs in order, with what lies between them on either side in rows of their own."""
    groups: list[tuple[int, int, int, int]] = []  # first and last article paragraph, first and last other one
    for a, o in chain(pairs):
        if groups and (a == groups[-1][1] or o == groups[-1][3]):
            a0, _, o0, _ = groups[-1]
            groups[-1] = (a0, a, o0, o)
        else:
            groups.append((a, a, o, o))
    found: list[Row] = []
    next_a = next_o = 0
    for a0, a1, o0, o1 in groups:
        if a0 > next_a or o0 > next_o:
            found.append(Row(tuple(article[next_a:a0]), tuple(other[next_o:o0]), False))
        found.append(Row(tuple(article[a0 : a1 + 1]), tuple(other[o0 : o1 + 1]), True))
        next_a, next_o = a1 + 1, o1 + 1
    if next_a < len(article) or next_o < len(other):
        found.append(Row(tuple(article[next_a:]), tuple(other[next_o:]), False))
    return found
