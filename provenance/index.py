"""The index of known articles: open a store, ingest articles into it, find candidates in it.

Ingest computes band keys for a batch at once (the vectorised path in
fingerprint.py) and hands the batch to the store as one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from provenance.fingerprint import LshParams, index_keys, passage_band_keys
from provenance.model import Article
from provenance.store.base import AddResult, Entry, Store, StoredArticle, pack_text

BATCH_SIZE = 2000
DEFAULT_LIMIT = 20  # candidates read from the index per check
INDEX_ENV = "PROVENANCE_INDEX"


def default_location(configured: str | None = None) -> str:
    """$PROVENANCE_INDEX, else the one the config names, else index.sqlite in the user's data directory."""
    if env := os.environ.get(INDEX_ENV):
        return env
    if configured:
        return configured
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("provenance", appauthor=False)) / "index.sqlite")


def is_redis(location: str) -> bool:
    return location.startswith(("redis://", "rediss://", "unix://"))


def open_store(location: str, *, create: bool = True, readonly: bool = False) -> Store:
    """The store at `location`: a Redis URL or a SQLite path (`readonly` opens a file without writing)."""
    if is_redis(location):
        from provenance.store.redis import RedisStore

        return RedisStore(location)
    from provenance.store.sqlite import SqliteStore

    return SqliteStore(location, create=create and not readonly, readonly=readonly)


def exists(location: str) -> bool:
    return is_redis(location) or Path(location).is_file()


def stored(article: Article, first_seen: datetime | None = None) -> StoredArticle:
    return StoredArticle(
        url=article.canonical_url or article.url or (None if article.source in ("-", "<stdin>") else article.source),
        title=article.title,
        publisher=article.publisher or article.site_name,
        byline=article.byline,
        published=article.published,
        first_seen=first_seen or datetime.now(UTC),
        paragraphs=article.paragraphs,
    )


def entries(articles: Sequence[StoredArticle], params: LshParams | None = None) -> list[Entry]:
    bands, contents = index_keys([a.paragraphs for a in articles], params or LshParams())
    return [Entry(a, int(c), k, pack_text(a.paragraphs)) for a, c, k in zip(articles, contents, bands, strict=True)]


def _batches(items: Iterable[StoredArticle], size: int) -> Iterator[list[StoredArticle]]:
    """Batches of `size`; when reading fails, what was read before still goes in (then the error)."""
    batch: list[StoredArticle] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except BaseException:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


@dataclass
class IngestTotals:
    added: int = 0
    merged: int = 0

    def count(self, result: AddResult) -> None:
        self.added += result.added
        self.merged += result.merged


def ingest(
    store: Store,
    articles: Iterable[StoredArticle],
    *,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    on_batch: Callable[[int], None] | None = None,
) -> IngestTotals:
    """Store articles in batches, fingerprinted on `workers` processes; the store writes on this one.

    Each batch is committed whole, so a rerun after a crash finishes the job
    (re-adding what is already there only merges dates).
    """
    totals = IngestTotals()

    def store_all(computed: Iterable[list[Entry]]) -> IngestTotals:
        for batch_entries in computed:
            totals.count(store.add(batch_entries))
            if on_batch:
                on_batch(len(batch_entries))
        return totals

    batches = _batches(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return totals
    if workers <= 1 or len(first) < batch_size:  # one batch: not worth starting processes
        return store_all(map(entries, chain([first], batches)))
    from multiprocessing import get_context

    with get_context("spawn").Pool(workers) as pool:
        return store_all(pool.imap(entries, chain([first], batches)))


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
    keys = passage_band_keys([article.paragraphs])[0]
    hits = store.lookup(keys, limit)
    found = store.get([h.key for h in hits])
    return [(as_article(found[h.key], h.key), h.shared_bands) for h in hits if h.key in found]
