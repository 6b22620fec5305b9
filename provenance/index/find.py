"""Finding indexed articles that share passages with a query article."""

from __future__ import annotations

from provenance.fingerprint import query_band_keys
from provenance.index.keys import as_stored
from provenance.index.store.base import Store, StoredArticle
from provenance.model import Article

DEFAULT_LIMIT = 20  # candidates read from the index per check


def as_article(item: StoredArticle, key: int) -> Article:
    return Article(
        source=item.url or f"index:{key}",
        paragraphs=item.paragraphs,
        url=item.url,
        canonical_url=item.url,
        title=item.title,
        byline=item.byline,
        publisher=item.publisher,
        published=item.published,
    )


def find(store: Store, article: Article, limit: int = DEFAULT_LIMIT) -> list[tuple[Article, int]]:
    """Indexed articles sharing passages with `article`: (article, shared band keys), most shared first."""
    keys = query_band_keys(as_stored(article.paragraphs))
    hits = store.lookup(keys, limit)
    found = store.get([h.key for h in hits])
    return [(as_article(found[h.key], h.key), h.shared_bands) for h in hits if h.key in found]
