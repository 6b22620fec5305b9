"""XML sitemaps, sitemap indexes and Google News sitemaps: parsing (bytes in, pages out), the one
walk over a sitemap and the sitemaps it indexes, and each page's article for the index."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from provenance.errors import InputError, ProvenanceError
from provenance.extract.dates import parse_datetime
from provenance.index.readers.pages import Skipped, page
from provenance.index.store.base import StoredArticle
from provenance.publishers import Registry

if TYPE_CHECKING:
    import httpx

_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one (uncompressed) file


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


MAX_SITEMAPS = 200  # sitemaps read per walk, indexes included: a guard against loops and giants


@dataclass(frozen=True, slots=True)
class Unread:
    """A sitemap of the walk that could not be fetched or parsed."""

    url: str
    error: ProvenanceError


def walk(urls: Iterable[str], read: Callable[[str], bytes]) -> Iterator[SitemapEntry | Unread]:
    """The pages of sitemaps, in order, following sitemap indexes: each sitemap read once (`read`
    fetches it), at most MAX_SITEMAPS in all. A sitemap that cannot be read is an `Unread` and the
    walk goes on; the caller decides whether that stops it."""
    queue, seen = list(urls), set[str]()
    while queue and len(seen) < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            sitemap = parse_sitemap(read(url), url)
        except ProvenanceError as exc:
            yield Unread(url, exc)
            continue
        queue.extend(sitemap.children)
        yield from sitemap.pages


def from_sitemaps(
    urls: Iterable[str], registry: Registry, client: httpx.Client, since: datetime | None = None
) -> Iterator[StoredArticle | Skipped]:
    """Pages listed in sitemaps (`walk`), modified on or after `since`."""
    from provenance.fetch import fetch

    for entry in walk(urls, lambda url: fetch(url, client).content):
        if isinstance(entry, Unread):
            yield Skipped(entry.url, str(entry.error))
            continue
        when = entry.published or entry.modified
        if since is None or when is None or when >= since:
            yield page(entry.url, registry, client, title=entry.title, published=entry.published)
