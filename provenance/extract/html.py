"""HTML -> Article: trafilatura finds the main text; BeautifulSoup reads metadata, links and credits.

trafilatura is the best-measured main-text extractor, but it keeps neither
the links inside paragraphs nor blocks it judged duplicate, and both matter
here: links carry credits, and a page that pastes its body twice should say
so. So the page is also parsed once with BeautifulSoup, and its blocks are
matched to trafilatura's paragraphs by their normalised text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from provenance.errors import EmptyArticle, UnsupportedFormat
from provenance.extract.assemble import assemble
from provenance.extract.chrome import repeats_in_page
from provenance.extract.credits import parse_byline
from provenance.extract.dates import find_dates, parse_datetime
from provenance.model import Article, Credit
from provenance.normalize import normalize_text
from provenance.publishers import Registry, host_of, looks_like_outlet

_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "figcaption", "pre"]
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "report", "scholarlyarticle", "liveblogposting"}  # fmt: skip
_BYLINE_CLASS = re.compile(r"\b(byline|author|writer|reporter)\b", re.IGNORECASE)
_TAG = re.compile(r"<\s*(html|head|body|p|div|article|title|meta|span|a|br|h[1-6])\b", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—:]{2,60}$")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text[:100_000]))


def _jsonld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.get_text())
        except (ValueError, TypeError):
            continue  # broken JSON-LD is common and is only metadata
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                stack.extend(g for g in item.get("@graph", []) if isinstance(g, dict))
                yield item


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _names(value: Any) -> list[str]:
    """schema.org author/publisher: a string, an object with a name, or a list of either."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    for key in keys:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        if isinstance(tag, Tag) and isinstance(tag.get("content"), str) and str(tag["content"]).strip():
            return str(tag["content"]).strip()
    return None


def _link_rel(soup: BeautifulSoup, rel: str) -> str | None:
    tag = soup.find("link", rel=rel, href=True)
    return str(tag["href"]).strip() if isinstance(tag, Tag) else None


def _block_texts(soup: BeautifulSoup) -> list[Tag]:
    """Innermost text blocks, in page order (a <li> holding a <p> counts once)."""
    return [t for t in soup.find_all(_BLOCKS) if not t.find(_BLOCKS)]


def _visible_byline(soup: BeautifulSoup) -> str | None:
    for tag in soup.find_all(class_=_BYLINE_CLASS):
        name = parse_byline(tag.get_text(" ", strip=True))
        if name:
            return name
    for tag in soup.find_all(["p", "span", "div"], limit=400):
        text = tag.get_text(" ", strip=True)
        if len(text) < 80 and (name := parse_byline(text)):
            return name
    return None


def _jsonld_credits(article_ld: dict[str, Any], site_name: str | None, registry: Registry) -> list[Credit]:
    credits: list[Credit] = []
    based = article_ld.get("isBasedOn")
    for item in based if isinstance(based, list) else [based] if based else []:
        url = item if isinstance(item, str) else item.get("url") if isinstance(item, dict) else None
        names = _names(item.get("publisher")) or _names(item.get("name")) if isinstance(item, dict) else []
        credits.append(Credit(names[0] if names else host_of(url) or "isBasedOn", "isBasedOn", "isBasedOn", url))
    own = normalize_text(site_name or "")
    for field in ("author", "publisher"):
        for name in _names(article_ld.get(field)):
            if (own and normalize_text(name) == own) or not (registry.by_name(name) or looks_like_outlet(name)):
                continue  # the page naming itself, or a person (the byline), is not a credit
            credits.append(Credit(name, f"schema.org {field}", f"jsonld-{field}"))
    return credits


def extract_html(source: str, html: str, registry: Registry, url: str | None = None) -> Article:
    if not looks_like_html(html):
        raise UnsupportedFormat(source, "this is not HTML (no HTML tags found)")
    import trafilatura

    soup = BeautifulSoup(html, "lxml")
    ld = next((o for o in _jsonld_objects(soup) if _types(o) & _ARTICLE_TYPES), {})
    base_url = url or _link_rel(soup, "canonical")
    canonical = _link_rel(soup, "canonical") or _meta(soup, "og:url") or _first(ld.get("url"))
    canonical = urljoin(base_url or "", canonical) if canonical else None
    site_name = _meta(soup, "og:site_name", "application-name") or next(iter(_names(ld.get("publisher"))), None)
    doc: Any = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=True, with_metadata=True
    )
    title = (
        _first(ld.get("headline"))
        or _meta(soup, "og:title", "twitter:title")
        or (doc.title if doc else None)
        or _TITLE_SUFFIX.sub("", soup.title.get_text(strip=True) if soup.title else "")
        or None
    )
    lines = doc.text.split("\n") if doc is not None and doc.text else []
    blocks = _block_texts(soup)
    if not lines:
        lines = [b.get_text(" ", strip=True) for b in blocks if b.name == "p"]
    if lines and title and normalize_text(lines[0]) == normalize_text(title):
        lines = lines[1:]

    links_by_key: dict[str, list[tuple[str, str]]] = {}
    for block in blocks:
        anchors = [a for a in block.find_all("a", href=True) if not str(a["href"]).startswith(("#", "javascript:"))]
        found = [(urljoin(base_url or "", str(a["href"])), a.get_text(" ", strip=True)) for a in anchors]
        if found:
            links_by_key.setdefault(normalize_text(block.get_text(" ", strip=True)), found)
    line_links = {i: links_by_key[k] for i, line in enumerate(lines) if (k := normalize_text(line)) in links_by_key}

    extra: list[Credit] = _jsonld_credits(ld, site_name, registry)
    page_host = host_of(url)
    if canonical and page_host and host_of(canonical) != page_host:
        extra.append(Credit(host_of(canonical) or canonical, "rel=canonical", "canonical", canonical))
    byline = _meta(soup, "author") or next(iter(_names(ld.get("author"))), None) or _visible_byline(soup)
    html_tag = soup.find("html")
    lang = html_tag.get("lang") if isinstance(html_tag, Tag) else None
    shown = [d for t in soup.find_all("time") for d, _ in find_dates(t.get_text(" ", strip=True))]
    base = Article(
        source=source,
        paragraphs=(),
        url=url,
        canonical_url=canonical,
        title=title,
        byline=byline or (doc.author if doc else None),
        site_name=site_name,
        published=parse_datetime(ld.get("datePublished"))
        or parse_datetime(_meta(soup, "article:published_time", "date", "pubdate", "dc.date"))
        or parse_datetime(doc.date if doc else None),
        modified=parse_datetime(ld.get("dateModified")) or parse_datetime(_meta(soup, "article:modified_time")),
        language=str(lang).split("-")[0].lower() if lang else None,
        dates_shown=tuple(shown),
    )
    try:
        article = assemble(base, lines, line_links, registry, extra)
    except EmptyArticle:
        raise EmptyArticle(source, "no article text found in this HTML (is it a complete page?)") from None
    page_repeats = repeats_in_page(article.paragraphs, [b.get_text(" ", strip=True) for b in blocks])
    if len(page_repeats) > len(article.repeated_blocks):
        article = replace(article, repeated_blocks=tuple(page_repeats))
    return article


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None
