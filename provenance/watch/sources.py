"""Reading a source: a feed, a sitemap (or sitemap index) or a plain list of URLs, with conditional GET.

A source read before is asked with its validators (`If-None-Match`, `If-Modified-Since`); a 304
answer means it lists what it listed last time, so nothing is parsed and no page is fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

from provenance import urls
from provenance.errors import InputError, ProvenanceError
from provenance.fetch import Response, fetch
from provenance.index.readers.feeds import parse_feed
from provenance.index.readers.sitemaps import parse_sitemap
from provenance.watch.state.base import SourceRecord

MAX_CHILDREN = 50  # sitemaps a sitemap index may add to one read: a guard against loops and giants
MAX_LIST_BYTES = 16 * 1024 * 1024  # a list of URLs, as `ci --urls` caps it


@dataclass(frozen=True, slots=True)
class Listed:
    """A page a source lists."""

    url: str
    title: str | None = None
    published: datetime | None = None  # the item's date, a sitemap's publication date or lastmod
    content_html: str | None = None  # a feed carrying the whole article (our own feeds use it)


@dataclass(frozen=True, slots=True)
class Reading:
    status: str  # "read" or "unchanged"
    items: tuple[Listed, ...]  # empty when unchanged
    etag: str | None
    last_modified: str | None
    kind: str = ""  # what it was read as: "feed", "sitemap", "urls" ("" when unchanged)


def conditional(record: SourceRecord | None) -> dict[str, str]:
    if record is None:
        return {}
    headers = {}
    if record.etag:
        headers["If-None-Match"] = record.etag
    if record.last_modified:
        headers["If-Modified-Since"] = record.last_modified
    return headers


def read(url: str, kind: str, client: httpx.Client, record: SourceRecord | None) -> Reading:
    """The source at `url` as it is now. FetchError or InputError when it cannot be read."""
    response = fetch(url, client, headers=conditional(record))
    etag = response.validators.get("etag") or (record.etag if record else None)
    modified = response.validators.get("last-modified") or (record.last_modified if record else None)
    if response.status == 304:
        return Reading("unchanged", (), etag, modified)
    kind = sniff(response.content) if kind == "auto" else kind
    items = listing(response, kind, lambda child: fetch(child, client))
    return Reading("read", tuple(items), etag, modified, kind)


def sniff(data: bytes) -> str:
    """What a source is, from its first bytes: "sitemap", "feed" or "urls"."""
    if data[:2] == b"\x1f\x8b":
        return "sitemap"  # gzip: only sitemaps are served so
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if not head.startswith(b"<"):
        return "urls"
    return "sitemap" if b"<urlset" in head or b"<sitemapindex" in head else "feed"


def listing(response: Response, kind: str, fetch_child: Callable[[str], Response]) -> list[Listed]:
    """The pages a source's answer lists, in its order; a sitemap index's sitemaps are read too."""
    url, data = response.url, response.content
    kind = sniff(data) if kind == "auto" else kind
    if kind == "feed":
        return [
            Listed(item.url, item.title, item.published, item.content_html)
            for item in parse_feed(data, url)
            if item.url and urls.is_web_url(item.url)
        ]
    if kind == "urls":
        if len(data) > MAX_LIST_BYTES:
            raise InputError(url, f"a list of URLs larger than {MAX_LIST_BYTES // (1024 * 1024)} MB")
        lines = (line.strip() for line in data.decode("utf-8", errors="replace").splitlines())
        return [Listed(line) for line in lines if line and not line.startswith("#") and urls.is_web_url(line)]
    found: list[Listed] = []
    queue, done = [(url, data)], set[str]()
    while queue:
        where, body = queue.pop(0)
        sitemap = parse_sitemap(body, where)
        found += [Listed(p.url, p.title, p.published or p.modified) for p in sitemap.pages if urls.is_web_url(p.url)]
        for child in sitemap.children:
            if child in done or len(done) >= MAX_CHILDREN or not urls.is_web_url(child):
                continue
            done.add(child)
            try:
                queue.append((child, fetch_child(child).content))
            except ProvenanceError:
                continue  # one child sitemap down: the others still list their pages
    return found
