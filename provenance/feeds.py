"""RSS/Atom feeds (feedparser) and XML sitemaps, including sitemap indexes and Google News sitemaps.

Pure parsing: bytes in, items out. Fetching is the caller's (fetch.py), so
the same client, limits and politeness apply to feeds as to pages.
"""

from __future__ import annotations

import calendar
import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from provenance.errors import InputError
from provenance.extract.dates import parse_datetime

# A feed item whose content holds at least this many words is the article itself.
FULL_CONTENT_WORDS = 150
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one (uncompressed) file


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str | None
    title: str | None
    published: datetime | None
    content_html: str | None  # the full article when the feed carries it


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    published: datetime | None  # news:publication_date (Google News sitemaps)
    modified: datetime | None  # lastmod
    title: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    pages: tuple[SitemapEntry, ...]
    children: tuple[str, ...]  # sitemap index entries


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


def _word_count(html: str) -> int:
    from bs4 import BeautifulSoup

    return len(BeautifulSoup(html, "lxml").get_text(" ").split())


def parse_feed(data: bytes, url: str) -> list[FeedItem]:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.entries and parsed.get("bozo"):
        raise InputError(url, f"not an RSS or Atom feed ({parsed.get('bozo_exception')})")
    items = []
    for entry in parsed.entries:
        content = next((c.get("value") for c in entry.get("content", []) if c.get("value")), None)
        content = content or entry.get("summary")
        full = content if content and _word_count(content) >= FULL_CONTENT_WORDS else None
        items.append(
            FeedItem(
                url=entry.get("link"),
                title=entry.get("title"),
                published=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
                content_html=full,
            )
        )
    return items


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def parse_sitemap(data: bytes, url: str) -> Sitemap:
    """A <urlset> (with news: extensions) or a <sitemapindex>; gzip-compressed or not."""
    from lxml import etree

    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = handle.read(_MAX_SITEMAP_BYTES + 1)
        except OSError as exc:
            raise InputError(url, f"broken gzip sitemap ({exc})") from None
    if len(data) > _MAX_SITEMAP_BYTES:
        raise InputError(url, "sitemap larger than 50 MB")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(url, f"not an XML sitemap ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise InputError(url, f"not a sitemap (root element <{kind}>)")
    pages: list[SitemapEntry] = []
    children: list[str] = []
    for node in root:
        fields: dict[str, str] = {}
        for child in node.iter():
            if child is not node and child.text and child.text.strip():
                fields.setdefault(_local(child.tag), child.text.strip())
        loc = fields.get("loc")
        if not loc:
            continue
        if kind == "sitemapindex":
            children.append(loc)
            continue
        published, modified = parse_datetime(fields.get("publication_date")), parse_datetime(fields.get("lastmod"))
        pages.append(SitemapEntry(loc, published, modified, fields.get("title")))
    return Sitemap(tuple(pages), tuple(children))
