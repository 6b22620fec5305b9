"""Writing to the index: batch ingest on worker processes, and removal by URL.

Ingest computes band keys for a batch at once (the vectorised path in fingerprint/keys.py) and hands
the batch to the store as one transaction.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar

from provenance.errors import InputError
from provenance.fingerprint.keys import LshParams
from provenance.index.keys import PARAMS, band_keys_of, entries, verify
from provenance.index.store.base import AddResult, Entry, InvalidArticle, Store, StoredArticle, validate
from provenance.model import Article

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

T = TypeVar("T")
R = TypeVar("R")
BATCH_SIZE = 2000


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


def _lean_entries(articles: Sequence[StoredArticle], params: LshParams) -> list[Entry]:
    """`entries` without the paragraphs, which the packed text carries: half the bytes to send back
    from a worker process to the writer."""
    return [replace(e, article=replace(e.article, paragraphs=())) for e in entries(articles, params)]


def remove(store: Store, urls: Sequence[str], params: LshParams = PARAMS) -> int:
    verify(store, params)
    return store.remove(urls, partial(band_keys_of, params=params))


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Batches of `size`; when reading fails, what was read before still goes in (then the error)."""
    batch: list[T] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except GeneratorExit:  # the consumer stopped: nothing more to hand it
        raise
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
    skipped: int = 0  # records refused (skip_bad): each reported to on_skipped

    def count(self, result: AddResult) -> None:
        self.added += result.added
        self.merged += result.merged


@dataclass(frozen=True, slots=True)
class _Signed:
    """What a worker sends back: the entries of a batch, and the records it refused, each as (where,
    why) (text: an InputError does not survive pickling). When it stops at a refused record, that
    record is the last in `refused` and the items before it are in `entries`."""

    entries: list[Entry]
    refused: list[tuple[str, str]] = field(default_factory=list)


def _where(item: Any) -> str:
    if isinstance(item, tuple) and item and isinstance(item[0], str):
        return item[0]  # a JSONL line: (where, text)
    if isinstance(item, StoredArticle):
        return item.url or "an article"
    return "a record"


def _sign(
    parse: Callable[[Any], StoredArticle] | None, params: LshParams, items: Sequence[Any], stop: bool = True
) -> _Signed:
    articles: list[StoredArticle] = []
    refused: list[tuple[str, str]] = []
    for item in items:
        try:
            article = parse(item) if parse else item
            validate(article)
        except InputError as exc:
            refused.append((exc.source, exc.reason))
        except InvalidArticle as exc:
            refused.append((_where(item), str(exc)))
        except Exception as exc:  # a bug met on one record must not lose the others: it is reported as that record's
            refused.append((_where(item), f"internal error ({type(exc).__name__}: {exc})"))
        else:
            articles.append(article)
            continue
        if stop:
            break
    return _Signed(_lean_entries(articles, params), refused)


def ingest(
    store: Store,
    articles: Iterable[Any],
    *,
    parse: Callable[[Any], StoredArticle] | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    on_batch: Callable[[int], None] | None = None,
    skip_bad: bool = False,
    on_skipped: Callable[[str, str], None] | None = None,
    params: LshParams = PARAMS,
) -> IngestTotals:
    """Store articles, fingerprinted in batches of `batch_size` on `workers` processes; the store
    writes on this one, in transactions of its `write_batch` articles (SQLite wants large ones).

    With `parse` (a picklable function), the items are raw records that the workers turn into
    articles. Every article is checked (`store.base.validate`) before it is stored. A record that
    cannot be parsed or is refused stops the ingest with an InputError, after storing every item
    before it; with `skip_bad`, it is left out, counted and passed to `on_skipped(where, why)`, and
    the ingest goes on. Each transaction is committed whole, so a rerun after a crash finishes the
    job (re-adding what is already there only merges dates). Keys are made with `params`, which
    must be those the store's keys were made with (`keys.verify`).
    """
    verify(store, params)
    totals = IngestTotals()
    commit_size = max(batch_size, store.write_batch)

    def commit(pending: list[Entry]) -> None:
        nonlocal commit_size
        totals.count(store.add(pending))
        commit_size = max(batch_size, store.write_batch)
        if on_batch:
            on_batch(len(pending))
        pending.clear()

    def store_all(computed: Iterator[_Signed]) -> IngestTotals:
        pending: list[Entry] = []
        try:
            for signed in computed:
                pending += signed.entries
                if signed.refused and not skip_bad:
                    raise InputError(*signed.refused[0])
                for where, why in signed.refused:
                    totals.skipped += 1
                    if on_skipped:
                        on_skipped(where, why)
                if len(pending) >= commit_size:
                    commit(pending)
        except Exception:
            if pending:  # what was read before a bad record still goes in
                commit(pending)
            raise
        if pending:
            commit(pending)
        return totals

    sign = partial(_sign, parse, params, stop=not skip_bad)
    batches = _batches(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return totals
    if workers <= 1 or len(first) < batch_size:  # one batch: not worth starting processes
        return store_all(sign(batch) for batch in chain([first], batches))
    from multiprocessing import get_context

    with get_context("spawn").Pool(workers, initializer=yield_to_writer) as pool:
        # the workers keep going while the writer commits, up to one transaction ahead
        ahead = lambda: commit_size // batch_size + 2 * workers  # noqa: E731
        return store_all(bounded_map(pool, sign, chain([first], batches), ahead))


def yield_to_writer() -> None:
    """Lower a worker's priority: the writer is the one serial stage of an ingest, and with as many
    workers as cores it would otherwise get two thirds of one (4,700 against 5,100 articles/s)."""
    with contextlib.suppress(AttributeError, OSError):  # no os.nice on Windows
        os.nice(5)


def bounded_map(
    pool: Pool, work: Callable[[list[Any]], R], batches: Iterator[list[Any]], ahead: Callable[[], int]
) -> Iterator[R]:
    """`pool.imap(work, batches)` that reads at most `ahead()` batches ahead of the writer: imap's
    feeder thread would read the whole input into memory when the writer is the slower side."""
    pending: deque[AsyncResult[R]] = deque()
    try:
        for batch in batches:
            pending.append(pool.apply_async(work, (batch,)))
            if len(pending) >= ahead():
                yield pending.popleft().get()
    except Exception:
        while pending:  # batches read before the error are still stored
            yield pending.popleft().get()
        raise
    while pending:
        yield pending.popleft().get()
