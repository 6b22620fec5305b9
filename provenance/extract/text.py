"""Plain text and Markdown -> Article.

A scraped text file keeps the page's reading order but loses its markup:
the title is the first line, a header of date, counter and byline lines may
follow, then the body until the first tail marker ("Related News").
"""

from __future__ import annotations

import re

from provenance import urls
from provenance.extract.assemble import assemble, dropped_links_note
from provenance.extract.bylines import parse_byline
from provenance.extract.chrome import is_widget
from provenance.extract.credits import opens_with_credit, stamped_credit
from provenance.extract.dates import find_dates, parse_datetime
from provenance.model import Article, Credit
from provenance.publishers import Registry

_HEADER_LINES = 4
_TITLE_MAX_WORDS = 30
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# No bracket inside a link's text, at most one level of parentheses in its address: each scan stops
# where the next link could start, so runs of "[" or "](" are linear.
_MD_LINK = re.compile(r"\[([^\[\]]++)\]\((https?://(?:[^()\s]|\([^()\s]*+\))++)\)")
_FRONT_KEYS = {"title", "author", "byline", "date", "published", "source", "canonical", "url"}


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """A YAML-style `---` block of simple `key: value` lines, as Markdown sites write them."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() in _FRONT_KEYS:
                    meta[key.strip().lower()] = value.strip().strip("\"'")
            return meta, lines[end + 1 :]
    return {}, lines


def _without_comments(text: str) -> str:
    """`text` without its closed `<!-- ... -->` comments; an unclosed one stays, as Markdown shows it.

    By `str.find` rather than `<!--.*?-->`, which rescanned the rest of the text from every "<!--".
    """
    kept, position = [], 0
    while (start := text.find("<!--", position)) != -1 and (end := text.find("-->", start + 4)) != -1:
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return "".join(kept)


def extract_text(source: str, text: str, registry: Registry, url: str | None = None) -> Article:
    # Markdown hides HTML comments (editors' notes, `<!-- provenance: ignore ... -->`) from readers; so do we.
    meta, raw_lines = _front_matter(_without_comments(text).splitlines())
    lines = [_MD_HEADING.sub("", line).strip() for line in raw_lines]
    lines = [line for line in lines if line]
    title = meta.get("title")
    # a page saved without its headline starts with the story: "BAGHDAD (AP) - The United States ..."
    headline = len(lines) > 1 and len(lines[0].split()) <= _TITLE_MAX_WORDS
    if title is None and headline and not opens_with_credit(lines[0], registry):
        title, lines = lines[0], lines[1:]

    byline = meta.get("author") or meta.get("byline")
    dates_shown: list[str] = []
    header_credits: list[str | Credit] = [meta["source"]] if meta.get("source") else []
    published = parse_datetime(meta.get("date") or meta.get("published"))
    while lines and len(dates_shown) + (byline is not None) < _HEADER_LINES:
        line = lines[0]
        if (name := parse_byline(line)) is not None:
            byline = byline or name
        elif (dates := find_dates(line)) and len(line.split()) <= 12:
            dates_shown.extend(d for d, _ in dates)
            published = published or dates[0][1]
            if stamped := stamped_credit(line, registry):  # "Source: Xinhua | 2019-01-03 12:15"
                header_credits.append(Credit(stamped[1], line, stamped[0], None, 0))
        elif not is_widget(line):
            break
        lines = lines[1:]

    links: dict[int, list[tuple[str, str]]] = {}
    dropped: list[str] = []
    for i, line in enumerate(lines):
        for shown, href in _MD_LINK.findall(line):
            if urls.split(href) is None:
                dropped.append(href)
            else:
                links.setdefault(i, []).append((href, shown))
    paragraphs = [_MD_LINK.sub(r"\1", line) for line in lines]
    canonical = meta.get("canonical") or meta.get("url")
    notes = dropped_links_note(dropped)
    if canonical and (why := urls.problem(canonical)):
        notes.insert(0, f"canonical address {canonical[:200]!r} left out: {why}")
        canonical = None
    return assemble(
        Article(
            source=source,
            paragraphs=(),
            url=url,
            canonical_url=canonical,
            title=title,
            byline=byline,
            published=published,
            dates_shown=tuple(dates_shown),
            notes=tuple(notes),
        ),
        paragraphs,
        links,
        registry,
        extra_credits=header_credits,
    )
