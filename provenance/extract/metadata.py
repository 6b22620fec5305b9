"""What a page says about itself: JSON-LD, <meta> tags, <link rel=canonical>, <title>, bylines shown,
<time> elements and <html lang>. The body is html.py's; this is everything else an Article holds.

JSON-LD is read depth-limited (safejson) and at most a thousand objects; every field's type is
checked, since pages put anything there.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag

from provenance import safejson, urls
from provenance.extract.bylines import parse_byline
from provenance.extract.dates import find_dates, parse_datetime
from provenance.model import Credit
from provenance.normalize import normalize_text
from provenance.publishers import Registry, host_of, looks_like_outlet

_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "report", "scholarlyarticle", "liveblogposting"}  # fmt: skip
_BYLINE_CLASS = re.compile(r"\b(byline|author|writer|reporter)\b", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"(?<!\s)\s+[-|–—:]\s+[^-|–—:]{2,60}$")  # from a run of spaces' start: linear
_Metas = dict[tuple[str, str], Tag]  # ("property" or "name", its value) -> the first <meta> with it
_JSONLD_MAX_OBJECTS = 1000  # objects looked at in a page's JSON-LD: an article's metadata is a handful


@dataclass(frozen=True)
class PageMeta:
    """The page's own statements about itself; the extracted text fills what they leave out (html.py)."""

    canonical: str | None  # resolved, and a web address (else None and a note)
    notes: tuple[str, ...]
    base_url: str | None  # what the page's links are resolved against
    site_name: str | None
    title: str | None  # JSON-LD headline, og:title, twitter:title
    page_title: str | None  # <title> without a " | Site" suffix
    byline: str | None
    published: datetime | None
    modified: datetime | None
    language: str | None
    dates_shown: tuple[str, ...]  # in <time> elements, as written
    credits: tuple[Credit, ...]  # JSON-LD isBasedOn, outlets named as author or publisher, canonical elsewhere
    headline_keys: frozenset[str]  # every way the page states its headline, normalised
    description_keys: frozenset[str]  # and its description


def page_metadata(soup: BeautifulSoup, url: str | None, registry: Registry) -> PageMeta:
    """What `soup` (the page read from `url`, None for a file) says about itself."""
    ld = next((o for o in _jsonld_objects(soup) if _types(o) & _ARTICLE_TYPES), {})
    metas = _meta_index(soup)
    rel_canonical = _link_rel(soup, "canonical")
    declared = rel_canonical or _meta(metas, "og:url") or first(ld.get("url"))
    canonical, notes = _canonical(url, declared)
    site_name = _meta(metas, "og:site_name", "application-name") or next(iter(_names(ld.get("publisher"))), None)
    credits = _jsonld_credits(ld, site_name, registry)
    page_host = host_of(url)
    if canonical and page_host and host_of(canonical) != page_host:
        credits.append(Credit(host_of(canonical) or canonical, "rel=canonical", "canonical", canonical))
    html_tag = soup.find("html")
    lang = html_tag.get("lang") if isinstance(html_tag, Tag) else None
    return PageMeta(
        canonical=canonical,
        notes=tuple(notes),
        base_url=url or (canonical if rel_canonical else None),
        site_name=site_name,
        title=first(ld.get("headline")) or _meta(metas, "og:title", "twitter:title"),
        page_title=_TITLE_SUFFIX.sub("", soup.title.get_text(strip=True) if soup.title else "") or None,
        byline=_meta(metas, "author") or next(iter(_names(ld.get("author"))), None) or _visible_byline(soup),
        published=parse_datetime(ld.get("datePublished"))
        or parse_datetime(_meta(metas, "article:published_time", "date", "pubdate", "dc.date")),
        modified=parse_datetime(ld.get("dateModified")) or parse_datetime(_meta(metas, "article:modified_time")),
        language=str(lang).split("-")[0].lower() if lang else None,
        dates_shown=tuple(d for t in soup.find_all("time") for d, _ in find_dates(t.get_text(" ", strip=True))),
        credits=tuple(credits),
        headline_keys=frozenset(_title_keys(soup, metas, ld)),
        description_keys=frozenset(_description_keys(metas, ld)),
    )


def text_keys(*texts: str | None) -> set[str]:
    """The normalised keys of the texts given (none for an empty one)."""
    return {key for text in texts if text and (key := normalize_text(text))}


def _jsonld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """The page's JSON-LD objects, top level and in `@graph`s; callers check each field's type."""
    looked_at = 0
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = safejson.loads(script.get_text())  # nested past its limit: TooDeep, a ValueError
        except ValueError:
            continue  # broken JSON-LD is common and is only metadata
        queue = deque(data if isinstance(data, list) else [data])
        while queue and looked_at < _JSONLD_MAX_OBJECTS:
            item = queue.popleft()
            looked_at += 1
            if isinstance(item, dict):
                graph = item.get("@graph")
                queue.extend(g for g in (graph if isinstance(graph, list) else [graph]) if isinstance(g, dict))
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


def _meta_index(soup: BeautifulSoup) -> _Metas:
    index: _Metas = {}
    for tag in soup.find_all("meta"):
        for attribute in ("property", "name"):
            if isinstance(value := tag.get(attribute), str):
                index.setdefault((attribute, value), tag)
    return index


def _meta(metas: _Metas, *keys: str) -> str | None:
    for key in keys:
        tag = metas.get(("property", key)) or metas.get(("name", key))
        if tag is not None and isinstance(tag.get("content"), str) and str(tag["content"]).strip():
            return str(tag["content"]).strip()
    return None


def _link_rel(soup: BeautifulSoup, rel: str) -> str | None:
    tag = soup.find("link", rel=rel, href=True)
    return str(tag["href"]).strip() if isinstance(tag, Tag) else None


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
    for item in based if isinstance(based, list) else [based]:
        if not item or not isinstance(item, str | dict):
            continue  # empty, a number, true, null: no source named
        url = _web_url(item if isinstance(item, str) else item.get("url"))
        names = _names(item.get("publisher")) or _names(item.get("name")) if isinstance(item, dict) else []
        credits.append(Credit(names[0] if names else host_of(url) or "isBasedOn", "isBasedOn", "isBasedOn", url))
    own = normalize_text(site_name or "")
    for field in ("author", "publisher"):
        for name in _names(article_ld.get(field)):
            if (own and normalize_text(name) == own) or not (registry.by_name(name) or looks_like_outlet(name)):
                continue  # the page naming itself, or a person (the byline), is not a credit
            credits.append(Credit(name, f"schema.org {field}", f"jsonld-{field}"))
    return credits


def _web_url(value: Any) -> str | None:
    """`value` when it is a well-formed http(s) address, else None."""
    return value.strip() if isinstance(value, str) and urls.is_web_url(value.strip()) else None


def _canonical(base: str | None, declared: str | None) -> tuple[str | None, list[str]]:
    """The page's own address as it declares it, resolved; None and a note when it is not a web address."""
    if not declared:
        return None, []
    joined = urls.join(base, declared)
    why = urls.problem(joined) if joined else urls.problem(declared) or "cannot be resolved against the page address"
    return (None, [f"canonical address {declared[:200]!r} left out: {why}"]) if why else (joined, [])


def _title_keys(soup: BeautifulSoup, metas: _Metas, ld: dict[str, Any]) -> set[str]:
    """Every way the page states its headline, normalised."""
    page_title = soup.title.get_text(strip=True) if soup.title else None
    found = [first(ld.get("headline")), _meta(metas, "og:title"), _meta(metas, "twitter:title"), page_title]
    found += [_TITLE_SUFFIX.sub("", page_title)] if page_title else []
    found += [h.get_text(" ", strip=True) for h in soup.find_all("h1")]
    return {key for text in found if text and (key := normalize_text(text))}


def _description_keys(metas: _Metas, ld: dict[str, Any]) -> set[str]:
    found = [_meta(metas, "og:description"), _meta(metas, "description"), _meta(metas, "twitter:description")]
    found.append(first(ld.get("description")))
    return {key for text in found if text and (key := normalize_text(text))}


def first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None
