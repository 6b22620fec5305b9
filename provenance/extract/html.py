"""HTML -> Article: trafilatura finds the main text; the page's own structure corrects it.

trafilatura is the best-measured main-text extractor, but it keeps neither
the links inside paragraphs nor blocks it judged duplicate, and both matter
here: links carry credits, and a page that pastes its body twice should say
so. So the page is also parsed once with BeautifulSoup, and its blocks are
matched to trafilatura's paragraphs by their normalised text. Where a
paragraph sits in the page then settles what text alone cannot: the
headline and what the page shows above it, cards and "Related:" links,
the other parts of a body split between ads, and the heading of the
teasers below the article.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bs4 import BeautifulSoup, Tag

from provenance import urls
from provenance.errors import EmptyArticle, UnsupportedFormat
from provenance.extract.assemble import assemble, body_as_is, dropped_links_note
from provenance.extract.chrome import REPEAT_MIN_CHARS, REPEAT_MIN_MEAN_CHARS, repeats_in_page
from provenance.extract.corrections import Where, body_lines
from provenance.extract.dates import parse_datetime
from provenance.extract.metadata import page_metadata, text_keys
from provenance.model import Article, Credit
from provenance.normalize import normalize_text
from provenance.publishers import Registry

_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "figcaption", "pre"]
_BLOCK_NAMES = frozenset(_BLOCKS)
_TAG = re.compile(r"<\s*(html|head|body|p|div|article|title|meta|span|a|br|h[1-6])\b", re.IGNORECASE)
# An XML declaration and the processing instructions after it; then the root element's name, past
# the doctype (with any internal subset) and comments.
_XML_PROLOG = re.compile(r"\A\ufeff?\s*<\?xml\b[^>]*\?>(?:\s*<\?[^>]*\?>)*")
_XML_ROOT = re.compile(r"(?:\s|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\])?\s*>)*<([\w.:-]+)", re.IGNORECASE | re.DOTALL)
# Below this many words from trafilatura's precision mode, its default mode wins when it finds this
# many times more.
_PRECISION_ENOUGH_WORDS = 150
_PRECISION_SHORTFALL = 4
# Above it, the default mode wins when it finds this many times more and holds this share of
# precision mode's words.
_PRECISION_CUT_SHORT = 3
_PRECISION_HELD = 0.5


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text[:100_000]))


def _block_texts(soup: BeautifulSoup) -> list[Tag]:
    """Innermost text blocks, in page order (a <li> holding a <p> counts once)."""
    blocks = soup.find_all(_BLOCKS)
    holding: set[int] = set()  # blocks with a block inside
    for block in blocks:
        outer = next((p for p in block.parents if p.name in _BLOCK_NAMES), None)
        if outer is not None:
            holding.add(id(outer))
    return [b for b in blocks if id(b) not in holding]


def _links(anchors: list[Tag], base: str | None, dropped: list[str]) -> list[tuple[str, str]]:
    """(address, text) of each link, resolved against `base`; one that does not parse goes to `dropped`."""
    found = []
    for anchor in anchors:
        href = urls.join(base, str(anchor["href"]).strip())
        if href is None:
            dropped.append(str(anchor["href"]))
        else:
            found.append((href, anchor.get_text(" ", strip=True)))
    return found


def _main_text(html: str, url: str | None) -> Any:
    """trafilatura's document, in its precision mode unless that cut the body short.

    Precision mode drops more of what surrounds the body (teasers, promos, link lists) at a
    small cost in recall; but now and then it settles on a small boilerplate block, or on one
    part of the body (a section, the text above a table). The default mode's much longer text
    then shows it: when precision mode found next to nothing, or when the default mode finds
    several times as much and holds most of precision mode's text (it read on from there,
    rather than choosing another block of the page).
    """
    import trafilatura

    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": True}
    doc: Any = trafilatura.bare_extraction(html, favor_precision=True, **options)
    lines = doc.text.split("\n") if doc is not None and doc.text else []
    words = sum(len(line.split()) for line in lines)
    fuller: Any = trafilatura.bare_extraction(html, **options)
    fuller_lines = fuller.text.split("\n") if fuller is not None and fuller.text else []
    fuller_words = sum(len(line.split()) for line in fuller_lines)
    if words < _PRECISION_ENOUGH_WORDS:
        return fuller if fuller_words > _PRECISION_SHORTFALL * words else doc
    held = set(fuller_lines)
    held_words = sum(len(line.split()) for line in lines if line in held)
    cut_short = fuller_words >= _PRECISION_CUT_SHORT * words and held_words >= _PRECISION_HELD * words
    return fuller if cut_short else doc


def _without_xml_prolog(source: str, html: str) -> str:
    """An XHTML page without its XML declaration; a document of another XML vocabulary is refused.

    XHTML is written to read the same to an HTML parser (self-closed `<br/>`, `<div/>` and
    `<script/>` included, which libxml2's parser honours), and that is how browsers read it
    when it is served as text/html; its declaration says only what the decoding already used.
    An XML parser would read less of it: no HTML entities without the DTD (`&nbsp;` lost, the
    words on either side run together), no classes as lists, nothing of a page not well formed.
    Left in, the declaration makes BeautifulSoup warn that XML is being parsed as HTML.
    """
    prolog = _XML_PROLOG.match(html)
    if prolog is None:
        return html
    root = _XML_ROOT.match(html, prolog.end())
    name = root.group(1) if root else None
    if name is not None and name.rpartition(":")[2].lower() != "html":
        raise UnsupportedFormat(source, f"this is an XML document (<{name}>), not an HTML page")
    return html[prolog.end() :]


def extract_html(source: str, html: str, registry: Registry, url: str | None = None) -> Article:
    if not looks_like_html(html):
        raise UnsupportedFormat(source, "this is not HTML (no HTML tags found)")
    html = _without_xml_prolog(source, html)
    soup = BeautifulSoup(html, "lxml")
    meta = page_metadata(soup, url, registry)
    doc = _main_text(html, url)
    title = meta.title or (doc.title if doc else None) or meta.page_title
    found_lines = doc.text.split("\n") if doc is not None and doc.text else []
    blocks = _block_texts(soup)
    if not found_lines:
        found_lines = [b.get_text(" ", strip=True) for b in blocks if b.name == "p"]
    where: Where = {}
    block_texts = [b.get_text(" ", strip=True) for b in blocks]
    block_keys = [normalize_text(text) for text in block_texts]
    for number, (block, key) in enumerate(zip(blocks, block_keys, strict=True)):
        where.setdefault(key, []).append((number, block))
    titles = set(meta.headline_keys) | text_keys(title, doc.title if doc else None)
    lines = body_lines(found_lines, blocks, where, titles, set(meta.description_keys), registry)

    links_by_key: dict[str, list[tuple[str, str]]] = {}
    dropped: list[str] = []
    for block, key in zip(blocks, block_keys, strict=True):
        anchors = [a for a in block.find_all("a", href=True) if not str(a["href"]).startswith(("#", "javascript:"))]
        found = _links(anchors, meta.base_url, dropped)
        if found:
            links_by_key.setdefault(key, found)

    base = Article(
        source=source,
        paragraphs=(),
        url=url,
        canonical_url=meta.canonical,
        title=title,
        byline=meta.byline or (doc.author if doc else None),
        site_name=meta.site_name,
        published=meta.published or parse_datetime(doc.date if doc else None),
        modified=meta.modified,
        language=meta.language,
        dates_shown=meta.dates_shown,
        notes=(*meta.notes, *dropped_links_note(dropped)),
    )
    article = _assemble_or_loosen(base, lines, found_lines, html, links_by_key, registry, list(meta.credits))
    body_keys = {normalize_text(p) for p in article.paragraphs}
    page_blocks = [text for text, key in zip(block_texts, block_keys, strict=True) if key in body_keys]
    page_repeats = repeats_in_page(article.paragraphs, page_blocks, REPEAT_MIN_CHARS, REPEAT_MIN_MEAN_CHARS)
    if len(page_repeats) > len(article.repeated_blocks):
        article = replace(article, repeated_blocks=tuple(page_repeats))
    return article


def _assemble_or_loosen(
    base: Article,
    lines: list[str],
    found_lines: list[str],
    html: str,
    links_by_key: dict[str, list[tuple[str, str]]],
    registry: Registry,
    extra: list[Credit],
) -> Article:
    """The article from the corrected lines; if nothing is left of them, from looser readings.

    The corrections are for a body with something around it: on a page whose only text is, say,
    a summary inside a link to the full story (an aggregator's brief), they can remove it all.
    Then trafilatura's lines stand uncorrected; if chrome and credits would take all of those
    too, any text trafilatura finds (comments included) is the body, as it is. Only a page
    where nothing finds text has no article.
    """
    for attempt in (lines, found_lines):
        links = {i: links_by_key[k] for i, line in enumerate(attempt) if (k := normalize_text(line)) in links_by_key}
        try:
            return assemble(base, attempt, links, registry, extra)
        except EmptyArticle:
            continue
    text = "\n".join(found_lines).strip() or _any_text(html)
    if not text:
        raise EmptyArticle(base.source, "no article text found in this HTML (is it a complete page?)")
    return body_as_is(base, text.split("\n"), registry, extra)


def _any_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=True, include_tables=True) or ""
