"""The credited publisher's own recent items: feeds and news sitemaps around the article's date.

A credit such as "BBC" names a publisher in the registry; its feeds and news
sitemaps list what it published lately. Items near the article's date whose
titles share the article's words are fetched and proposed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from provenance.discover.base import DiscoveryContext, DiscoveryError
from provenance.errors import FetchError, InputError
from provenance.model import Article, Candidate
from provenance.publishers import Publisher, Registry, same_outlet

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
    own_url = article.canonical_url or article.url
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
        items = self._items(publishers, context)
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
        seen: set[str] = set()
        for _, _, item in scored:
            if len(seen) >= self.max_pages:
                break
            if item.url in seen:
                continue
            seen.add(item.url)
            try:
                found = context.load(item.url)
            except (FetchError, InputError) as exc:
                context.notes.append(str(exc))
                continue
            yield Candidate(found, self.name, f"{item.where} item {item.title!r} {_when(item, article)}")

    def _items(self, publishers: list[Publisher], context: DiscoveryContext) -> list[Item]:
        """Every item of every feed and sitemap of `publishers`; fails only when none could be read."""
        from provenance.feeds import parse_feed

        items: list[Item] = []
        sources = 0
        errors: list[str] = []
        for pub in publishers:
            if not pub.feeds and not pub.sitemaps:
                context.notes.append(f"no feeds or sitemaps known for {pub.name} (add them in [[publishers]])")
            for url in pub.feeds:
                sources += 1
                try:
                    feed = parse_feed(context.fetch(url).content, url)
                except (FetchError, InputError) as exc:
                    errors.append(str(exc))
                    continue
                items += [Item(i.url, i.title, i.published, "feed") for i in feed if i.url and i.title]
            for url in pub.sitemaps:
                sources += 1
                try:
                    items += self._sitemap(url, context, depth=1)
                except (FetchError, InputError) as exc:
                    errors.append(str(exc))
        if sources and len(errors) == sources:
            raise DiscoveryError(f"no feed or sitemap could be read ({errors[0]})")
        context.notes.extend(errors)
        return items

    def _sitemap(self, url: str, context: DiscoveryContext, depth: int) -> list[Item]:
        from provenance.feeds import parse_sitemap

        sitemap = parse_sitemap(context.fetch(url).content, url)
        items = [Item(p.url, p.title, p.published or p.modified, "sitemap") for p in sitemap.pages if p.title]
        if depth > 0:
            for child in sitemap.children[:_MAX_CHILD_SITEMAPS]:
                try:
                    items += self._sitemap(child, context, depth - 1)
                except (FetchError, InputError) as exc:
                    context.notes.append(str(exc))
        return items
