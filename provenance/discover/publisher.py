"""The credited publisher's own recent items: feeds and news sitemaps around the article's date.

A credit such as "BBC" names a publisher in the registry; its feeds and news
sitemaps list what it published lately. Items near the article's date whose
titles share the article's words are fetched and proposed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import quote_plus

from provenance import urls
from provenance.discover.base import DiscoveryContext
from provenance.errors import DiscoveryError, FetchError, InputError
from provenance.model import Article, Candidate
from provenance.publishers import Publisher, Registry, host_of, same_outlet

_STOPWORD_TEXT = """
the a an and or but of to in on at for with by from as is are was were be been has have had it its
this that these those after before over into about says said will would can could not no new
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_MAX_CHILD_SITEMAPS = 4  # of a sitemap index: the newest news sitemaps come first in practice


def keywords(text: str) -> set[str]:
    """Content words, normalised as the comparison does: for telling whether a title is about the article."""
    from provenance.normalize import normalize_text

    words = re.findall(r"\w+", normalize_text(text))
    return {w for w in words if len(w) > 2 and w not in _STOPWORDS}


def article_keywords(article: Article) -> set[str]:
    """The words of the title and the lede, where a headline's words are found when the copy retitles."""
    return keywords(" ".join([article.title or "", *article.paragraphs[:2]]))


def resemblance(title: str, wanted: set[str]) -> float:
    """The share of a title's content words found in `wanted` (0 for titles of under three such words)."""
    words = keywords(title)
    if len(words) < 3:
        return 0.0
    return len(words & wanted) / len(words)


def credited_publishers(article: Article, registry: Registry) -> list[Publisher]:
    """Registry publishers the article's credits name or link to, other than its own outlet."""
    own_url = article.url or article.canonical_url  # a canonical link may name the very publisher credited
    found: list[Publisher] = []
    for credit in article.credits:
        if same_outlet(credit.name, article.publisher or article.site_name, own_url, registry):
            continue
        pub = registry.by_name(credit.name) or registry.by_url(credit.link)
        if pub is not None and pub not in found and pub is not registry.by_url(own_url):
            found.append(pub)
    return found


@dataclass(frozen=True, slots=True)
class Item:
    url: str
    title: str
    published: datetime | None
    where: str  # "feed" or "sitemap"


def _when(item: Item, article: Article) -> str:
    if item.published is None or article.published is None:
        return "undated"
    hours = (article.published - item.published).total_seconds() / 3600
    return f"{abs(hours):.0f}h {'before' if hours >= 0 else 'after'}"


class _Reads:
    """How many of a publisher's feeds, sitemaps and search pages were asked for, and what went wrong."""

    def __init__(self) -> None:
        self.asked = 0
        self.errors: list[str] = []

    def attempt(self, read: Callable[[], list[Item]]) -> list[Item]:
        self.asked += 1
        try:
            return read()
        except (FetchError, InputError) as exc:
            self.errors.append(str(exc))
            return []


@dataclass(frozen=True)
class PublisherFeeds:
    window: timedelta = timedelta(days=2)  # either side of the article's date
    max_pages: int = 3
    min_resemblance: float = 0.5
    name: str = "publisher"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        publishers = credited_publishers(article, context.registry)
        if not publishers:
            context.notes.append("no credit names a publisher in the registry")
            return
        reads = _Reads()
        chosen = self._choose(article, self._listed(publishers, context, reads))
        if not chosen:
            # A site's own search is the last resort: a page per query, often scripted, often robots-disallowed.
            chosen = self._choose(article, self._searched(publishers, article, context, reads))
        if reads.asked and len(reads.errors) == reads.asked:
            raise DiscoveryError(f"no feed, sitemap or site search could be read ({reads.errors[0]})")
        context.notes.extend(reads.errors)
        pages = ((item.url, f"{item.where} item {item.title!r} {_when(item, article)}") for item in chosen)
        yield from context.candidates(pages, self.name)

    def _choose(self, article: Article, items: list[Item]) -> list[Item]:
        """Items near the article's date whose titles resemble it, the most alike and nearest first."""
        wanted = article_keywords(article)
        scored = []
        for item in items:
            if article.published and item.published and abs(article.published - item.published) > self.window:
                continue
            score = resemblance(item.title, wanted)
            if score >= self.min_resemblance:
                distance = abs(article.published - item.published) if article.published and item.published else None
                scored.append((-score, distance or timedelta.max, item))
        scored.sort(key=lambda entry: entry[:2])
        chosen: dict[str, Item] = {}
        for _, _, item in scored:
            chosen.setdefault(item.url, item)
        return list(chosen.values())[: self.max_pages]

    def _listed(self, publishers: list[Publisher], context: DiscoveryContext, reads: _Reads) -> list[Item]:
        """Every item of every feed and sitemap of `publishers`."""
        items: list[Item] = []
        for pub in publishers:
            if not pub.feeds and not pub.sitemaps:
                context.notes.append(f"no feeds or sitemaps known for {pub.name} (add them in [[publishers]])")
            for url in pub.feeds:
                items += reads.attempt(partial(_feed, url, context))
            for url in pub.sitemaps:
                items += reads.attempt(partial(_sitemap, url, context, 1))
        return items

    def _searched(
        self, publishers: list[Publisher], article: Article, context: DiscoveryContext, reads: _Reads
    ) -> list[Item]:
        """Links on the publishers' own search result pages for the article's title."""
        if not article.title:
            return []
        items: list[Item] = []
        for pub in publishers:
            for template in pub.search:
                url = template.replace("{query}", quote_plus(article.title))
                items += reads.attempt(partial(_search_page, url, pub, context))
        return items


def _feed(url: str, context: DiscoveryContext) -> list[Item]:
    from provenance.index.readers.feeds import parse_feed

    feed = parse_feed(context.fetch(url).content, url)
    return [Item(i.url, i.title, i.published, "feed") for i in feed if i.url and i.title]


def _sitemap(url: str, context: DiscoveryContext, depth: int) -> list[Item]:
    from provenance.index.readers.sitemaps import parse_sitemap

    sitemap = parse_sitemap(context.fetch(url).content, url)
    items = [Item(p.url, p.title, p.published or p.modified, "sitemap") for p in sitemap.pages if p.title]
    if depth > 0:
        for child in sitemap.children[:_MAX_CHILD_SITEMAPS]:
            try:
                items += _sitemap(child, context, depth - 1)
            except (FetchError, InputError) as exc:
                context.notes.append(str(exc))
    return items


def _search_page(url: str, pub: Publisher, context: DiscoveryContext) -> list[Item]:
    """The links of a site-search result page that point into the publisher's domains, with their text."""
    from bs4 import BeautifulSoup

    from provenance.inputs import decode

    response = context.fetch(url)
    soup = BeautifulSoup(decode(response.content, url, response.charset), "lxml")
    domains = (*pub.domains, host_of(response.url))
    items = []
    for anchor in soup.find_all("a", href=True):
        target = urls.join(response.url, str(anchor["href"]))
        if target is None:
            continue
        host = host_of(target)
        if host and any(host == d or host.endswith("." + d) for d in domains if d) and target != response.url:
            items.append(Item(target, anchor.get_text(" ", strip=True), None, "site search"))
    return items
