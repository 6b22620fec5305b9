"""How much one article may hold: past these, extraction refuses rather than run for minutes.

The 954 real news pages of the WCXB development set hold at most 1.8 MB, 4,975 HTML elements and
1,304 text blocks; each limit leaves several times that. At the limits, extraction takes a few
seconds on one core (docs/limits.md has the figures). Every path into extraction meets the same
checks: files, stdin, fetched pages, feed items, JSONL records of `index import`, `ci` inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from provenance.errors import TooLarge

MAX_DOCUMENT_CHARS = 4_000_000  # characters of HTML or text, once decoded
MAX_TEXT_CHARS = 500_000  # characters of text: a text file's, a page's outside scripts, styles and comments
MAX_ELEMENTS = 20_000  # HTML start tags
MAX_PARAGRAPHS = 5_000  # lines of a text file, text blocks of a page (<p>, <li>, <td>, headings, ...)
MAX_PARAGRAPH_CHARS = 100_000  # one paragraph: a line of text, or the text between two tags
_PARA = f"{MAX_PARAGRAPH_CHARS:,}"

_START_TAG = re.compile(r"<[A-Za-z]")
_BLOCK_TAG = re.compile(r"<(?:p|li|td|h[1-6]|blockquote|figcaption|pre)(?=[\s>/])", re.IGNORECASE)
_TEXT_RUN = re.compile(r">([^<]++)")  # the content after a tag, up to the next one (not inside a tag: data URIs)
# Where a page's text stops for a while: the content of these elements, and comments, is no paragraph.
_RAW_OPENING = re.compile(r"<(script|style|template|textarea)\b|<!--", re.IGNORECASE)


def check_text(source: str, text: str) -> None:
    """A text or Markdown document within the limits, or TooLarge."""
    _check_size(source, text)
    paragraphs = [line for line in text.splitlines() if line.strip()]
    check_paragraphs(source, paragraphs)
    _check_text_size(source, sum(map(len, paragraphs)))


def check_html(source: str, html: str) -> None:
    """An HTML document within the limits, or TooLarge; counted on the markup, before any parser runs."""
    _check_size(source, html)
    elements = blocks = text_chars = 0
    for start, end in _outside_raw_text(html):  # what a script holds ("i<n") is no element
        elements += _count(_START_TAG, html, start, end, MAX_ELEMENTS + 1 - elements)
        if elements > MAX_ELEMENTS:
            raise TooLarge(source, f"more than {MAX_ELEMENTS:,} HTML elements")
        blocks += _count(_BLOCK_TAG, html, start, end, MAX_PARAGRAPHS + 1 - blocks)
        if blocks > MAX_PARAGRAPHS:
            raise TooLarge(source, f"more than {MAX_PARAGRAPHS:,} text blocks (paragraphs, list items, cells)")
        for run in _TEXT_RUN.finditer(html, start, end):
            size = run.end(1) - run.start(1)
            if size > MAX_PARAGRAPH_CHARS and not run.group(1).isspace():
                raise TooLarge(source, f"{size:,} characters of text in one run; a paragraph may have {_PARA}")
            text_chars += size
    _check_text_size(source, text_chars)


def check_paragraphs(source: str, paragraphs: Sequence[str]) -> None:
    """Paragraphs within the limits (their count, the longest), or TooLarge."""
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise TooLarge(source, f"{len(paragraphs):,} paragraphs; an article may have {MAX_PARAGRAPHS:,}")
    longest = max(map(len, paragraphs), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        raise TooLarge(source, f"a paragraph of {longest:,} characters; one may have {_PARA}")


def _check_size(source: str, document: str) -> None:
    if len(document) > MAX_DOCUMENT_CHARS:
        raise TooLarge(source, f"{len(document):,} characters; an article may have {MAX_DOCUMENT_CHARS:,}")


def _count(pattern: re.Pattern[str], text: str, start: int, end: int, most: int) -> int:
    """Matches of `pattern` in `text[start:end]`, counting no further than `most`."""
    count = 0
    for count, _ in enumerate(pattern.finditer(text, start, end), 1):
        if count >= most:
            break
    return count


def _check_text_size(source: str, chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise TooLarge(source, f"{chars:,} characters of text; an article may have {MAX_TEXT_CHARS:,}")


def _outside_raw_text(html: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the stretches of `html` outside scripts, styles, templates, text areas and comments.

    One pass: each opening is found by a search that moves on, and its end by `str.find` from there;
    one left open runs to the end of the page. (Markup in those stretches counts as text: a bound.)
    """
    lower = html.lower()
    position = 0
    while (opening := _RAW_OPENING.search(html, position)) is not None:
        yield position, opening.start()
        closing = "-->" if opening.group(1) is None else f"</{opening.group(1).lower()}"
        end = lower.find(closing, opening.end())
        if end == -1:
            return
        position = end + len(closing)
    yield position, len(html)
