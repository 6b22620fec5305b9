"""Finding indexed articles that share passages with a query article."""

from __future__ import annotations

from provenance.fingerprint.keys import LshParams
from provenance.index.keys import PARAMS, query_keys, verify
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


def find(
    store: Store, article: Article, limit: int = DEFAULT_LIMIT, params: LshParams = PARAMS
) -> list[tuple[Article, int]]:
    """Indexed articles sharing passages with `article`: (article, shared band keys), most shared first.

    `params` are those the index's keys were made with (`keys.verify`)."""
    verify(store, params)
    keys = query_keys(article.paragraphs, params)
    hits = store.lookup(keys, limit)
    found = store.get([h.key for h in hits])
    return [(as_article(found[h.key], h.key), h.shared_bands) for h in hits if h.key in found]
