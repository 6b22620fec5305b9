"""Where a finding shows in its file: the line and column of a body paragraph or a credit's text.

Extraction keeps no offsets into the raw file, so the text is looked up again: each raw line is
reduced as extraction reduces it (Markdown links and headings, HTML tags and entities, spacing,
case), and the first line holding the start of the wanted text wins. An HTML paragraph split over
several lines is found by its first words. Not found: the title's line, then line 1.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from provenance.normalize import normalize_text

# No bracket inside a link's text, and at most one level of parentheses in its target: every scan
# stops where the next link could start, so a run of "[" or "](" is linear.
_MD_LINK = re.compile(r"\[([^\[\]]*+)\]\((?:[^()]|\([^()]*+\))*+\)")
_MD_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)")
_TAG = re.compile(r"<[^<>]*+>")  # no "<" inside a tag: a run of "<" is linear
_LEADING_TAGS = re.compile(r"\s*+(?:<[^<>]*+>\s*+)*+")
_PREFIX_WORDS = (12, 6, 3)  # the first words of the text tried, long to short


@dataclass(frozen=True, slots=True)
class SourceLines:
    """A file's raw lines with their reduced forms, built once per file."""

    raw: tuple[str, ...]
    plain: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> SourceLines:
        raw = tuple(text.splitlines())
        return cls(raw, tuple(_reduce(line) for line in raw))


def _reduce(line: str) -> str:
    line = _MD_MARK.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = html.unescape(_TAG.sub(" ", line))
    return " ".join(normalize_text(line).split())


def find(lines: SourceLines, text: str | None, *, after: int = 0) -> tuple[int, int] | None:
    """(line, column), 1-based, where `text` starts; None when no line holds its start."""
    if not text:
        return None
    words = normalize_text(text).split()
    if not words:
        return None
    for count in sorted({min(c, len(words)) for c in _PREFIX_WORDS}, reverse=True):
        needle = " ".join(words[:count])
        for number in range(after, len(lines.plain)):
            if needle in lines.plain[number]:
                return number + 1, _column(lines.raw[number], words[0])
    return None


def _column(raw: str, first_word: str) -> int:
    """The column of the first word in the raw line, else of its first non-blank character."""
    folded = raw.casefold()
    at = folded.find(first_word.casefold())
    if at < 0:  # an entity or markup inside the word: where the text starts after leading tags
        leading = _LEADING_TAGS.match(raw)
        at = leading.end() if leading else 0
    return at + 1


def body_start(lines: SourceLines) -> int:
    """The index of the first line after Markdown front matter (0 when there is none)."""
    if lines.raw and lines.raw[0].strip() == "---":
        for number in range(1, len(lines.raw)):
            if lines.raw[number].strip() in ("---", "..."):
                return number + 1
    return 0


def locate(lines: SourceLines, paragraph: str | None, text: str | None, title: str | None) -> tuple[int, int]:
    """The place of a paragraph (searched after the front matter), else of a text, else of the title."""
    start = body_start(lines)
    return (
        find(lines, paragraph, after=start)
        or find(lines, text, after=start)
        or find(lines, text)
        or find(lines, title)
        or (1, 1)
    )
