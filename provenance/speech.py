"""Where a text presents someone else's words: quotations, statements, transcripts.

Two reports of one event quote the same officials, family statements and citations, often at
length and not always inside quotation marks. Such text is shared because both pages reproduce
the speaker, not because one copied the other, so the comparison counts it apart (see
docs/relations.md). Found here, per paragraph of an Article's text (paragraphs joined by a blank
line, as `Article.text` does):

- double quotations, straight or curly; a quotation left open runs to the end of its paragraph,
  and a paragraph whose first quotation mark closes one was a continuation of a quotation broken
  across paragraphs (the news convention, and what extraction makes of a quote split by markup);
- single quotations (British and South Asian house styles) of three words or more, only when
  closed in their paragraph: an apostrophe is the same character as a closing single quote;
- a statement introduced by a speech cue and a colon ("said in a statement:", "the citation
  reads:", "Transcript:"): the rest of the paragraph, or the next paragraph when the cue ends its own.

Offsets index the text given. Every pattern is linear: cues are bounded in length.
"""

from __future__ import annotations

import re

_OPENING = frozenset("“„«")
_CLOSING = frozenset("”»")
_STRAIGHT = '"＂'
_MARKS = frozenset(_STRAIGHT) | _OPENING | _CLOSING
_BEFORE_OPENING = frozenset("([{—–-/")
# A single quotation: opened after a space or bracket, closed before one, at least three words.
_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[{—–-]))['‘](?=\w)[^'‘’\n]{1,400}?\S['’](?=[\s.,;:!?)\]}—–-]|$)")
_AFTER_CLOSING = frozenset(".,;:!?)]}—–-…")
# A verb or noun of speech, then at most 80 characters without a full stop, then a colon.
_CUE = re.compile(
    r"\b(?:said|says|say|stated|states|added|adds|wrote|writes|tweeted|posted|declared|announced|"
    r"reads?|statement|citation|transcript|read-?out|full text|saying|told [\w .'’-]{1,40}?)\b"
    r"[^.:\n]{0,80}:[ \t]*",
    re.IGNORECASE,
)
PARAGRAPH_BREAK = "\n\n"


def speech_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of `text` that are someone's words, in order; they may overlap."""
    spans: list[tuple[int, int]] = []
    start = 0
    follows_cue = False
    for para in text.split(PARAGRAPH_BREAK):
        end = start + len(para)
        if follows_cue and para.strip():
            spans.append((start, end))
        spans.extend((start + s, start + e) for s, e in _quotations(para))
        spans.extend(
            (start + m.start(), start + m.end()) for m in _SINGLE.finditer(para) if len(m.group().split()) >= 3
        )
        follows_cue = False
        if cue := _last_cue(para):
            if cue.end() < len(para.rstrip()):
                spans.append((start + cue.end(), end))
            else:
                follows_cue = True
        start = end + len(PARAGRAPH_BREAK)
    spans.sort()
    return spans


def _last_cue(para: str) -> re.Match[str] | None:
    found = None
    for found in _CUE.finditer(para):  # noqa: B007 - the last one is the one that introduces the statement
        pass
    return found


def _quotations(para: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i, char in enumerate(para):
        if char not in _MARKS:
            continue
        if _opens(para, i, opened is not None):
            if opened is None:
                opened = i
        elif opened is None:
            spans.append((0, i + 1))  # closes a quotation begun in an earlier paragraph
        else:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(para)))
    return spans


def _opens(para: str, i: int, inside: bool) -> bool:
    """Whether the mark at `i` opens a quotation (else it closes one)."""
    char = para[i]
    if char in _OPENING:
        return True
    if char in _CLOSING:
        return False
    before = para[i - 1] if i else " "
    after = para[i + 1] if i + 1 < len(para) else " "
    if before.isspace() or before in _BEFORE_OPENING:
        return True
    if after.isspace() or after in _AFTER_CLOSING:
        return False
    return not inside
