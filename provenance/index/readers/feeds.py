"""RSS/Atom feeds (feedparser): parsing (bytes in, items out: fetching is the caller's, so the same
client, limits and politeness apply to feeds as to pages), and each item's article for the index."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from provenance.decoding import as_text
from provenance.errors import InputError, ProvenanceError
from provenance.index.ingest import stored
from provenance.index.readers.pages import Skipped, page
from provenance.index.store.base import StoredArticle
from provenance.inputs import extract_bytes
from provenance.publishers import Registry

if TYPE_CHECKING:
    import httpx

# A feed item whose content holds at least this many words is the article itself.
FULL_CONTENT_WORDS = 150


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str | None
    title: str | None
    published: datetime | None
    content_html: str | None  # the full article when the feed carries it


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


def from_feeds(urls: Iterable[str], registry: Registry, client: httpx.Client) -> Iterator[StoredArticle | Skipped]:
    """Each item of each feed: from the feed's own full content when it has it, else from its page."""
    from provenance.fetch import fetch

    for feed_url in urls:
        try:
            items = parse_feed(fetch(feed_url, client).content, feed_url)
        except ProvenanceError as exc:
            yield Skipped(feed_url, str(exc))
            continue
        for item in items:
            source = item.url or feed_url
            if item.content_html:
                try:
                    html = as_text(item.content_html).encode()
                    article = stored(extract_bytes(source, html, "html", registry, item.url))
                except ProvenanceError as exc:
                    yield Skipped(source, str(exc))
                    continue
                yield replace(article, url=item.url, title=item.title or article.title,
                              published=item.published or article.published)  # fmt: skip
            elif item.url:
                yield page(item.url, registry, client, title=item.title, published=item.published)
