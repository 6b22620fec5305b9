"""The new pages of a pass, each fetched on threads (one polite client) and checked against our index
only, here or on worker processes when there are many; a finding's evidence checked again later."""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from provenance.errors import InputError, ProvenanceError
from provenance.fetch import ARTICLE, Response, fetch
from provenance.model import Article, Report
from provenance.publishers import host_of
from provenance.watch.model import Copy

if TYPE_CHECKING:
    import httpx

    from provenance.index.store.base import Store
    from provenance.pipeline import Settings
    from provenance.watch.run import Job

T = TypeVar("T")
R = TypeVar("R")
POOL_FROM = 20  # pages in a pass before worker processes pay for their start (about a second)


@dataclass(frozen=True, slots=True)
class Item:
    url: str
    found_by: str  # the source that listed it, or 'search: "<phrase>"'


@dataclass(frozen=True, slots=True)
class Outcome:
    item: Item
    kind: str  # "copy", "clean", "unreadable", "failed"
    copies: tuple[tuple[Copy, Article], ...] = ()
    error: str = ""


def article_of(url: str, response: Response, settings: Settings) -> Article:
    """The page's article, extracted as `check` extracts a URL (inputs.load)."""
    from provenance.inputs import HTML_TYPES, extract_bytes

    kind = "text" if response.content_type == "text/plain" else "html"
    if kind == "html" and response.content_type not in HTML_TYPES:  # no Content-Type: look
        kind = "html" if response.content.lstrip()[:1] == b"<" else "text"
    return extract_bytes(url, response.content, kind, settings.registry, response.url, response.charset)


def examine(item: Item, response: Response, job: Job, store: Store) -> Outcome:
    """Check one fetched page against our index only: no web discovery, nothing fetched."""
    from provenance.index.find import find
    from provenance.pipeline import check

    try:
        article = article_of(item.url, response, job.settings)
    except InputError as exc:
        return Outcome(item, "unreadable", error=str(exc))
    if not find(store, article, limit=1):
        # It shares no passage with any article of the index, so the check (which looks it up the same
        # way first) would find no candidate: most pages of a feed, spared a third of their cost.
        return Outcome(item, "clean")
    report = check(article, settings=job.settings, store=store)
    copies = job.judge.copies(report, item.url, item.found_by)
    return Outcome(item, "copy" if copies else "clean", tuple((c, article) for c in copies))


def evidence(page: Article, settings: Settings, store: Store) -> Report:
    """A finding's Report, for its side-by-side evidence: the stored page checked against the index again."""
    from provenance.pipeline import check

    return check(page, settings=settings, store=store)


# --- worker processes: each opens the index read-only once ------------------------------------------

_WORKER: tuple[Job, Store] | None = None


def _start_worker(job: Job) -> None:
    global _WORKER
    from provenance.index import open_index

    _WORKER = (job, open_index(job.index, create=False, readonly=True))


def _examine_in_worker(item: Item, response: Response) -> Outcome:
    assert _WORKER is not None
    job, store = _WORKER
    try:
        return examine(item, response, job, store)
    except ProvenanceError as exc:
        return Outcome(item, "failed", error=str(exc))
    except Exception as exc:  # one page must not stop the pass: it is reported and tried again
        return Outcome(item, "failed", error=f"internal error ({type(exc).__name__}: {exc})")


# --- fetching and checking, in the order listed ---------------------------------------------------------


def interleaved(items: Sequence[Item]) -> list[Item]:
    """One page of each host in turn: a source's pages are all on its host, whose politeness lets one
    request at a time, so in their listed order the fetch threads would queue behind one host."""
    by_host: dict[str, deque[Item]] = {}
    for item in dict.fromkeys(items):  # a page two sources list is checked once
        by_host.setdefault(host_of(item.url) or "", deque()).append(item)
    queues = list(by_host.values())
    order: list[Item] = []
    while queues:
        order += [queue.popleft() for queue in queues]
        queues = [queue for queue in queues if queue]
    return order


def _ordered(submit: Callable[[T], Future[R]], items: Iterable[T], ahead: int) -> Iterator[tuple[T, Future[R]]]:
    """(item, future) in the items' order, at most `ahead` submitted and not yet handed out."""
    window: deque[tuple[T, Future[R]]] = deque()
    for item in items:
        window.append((item, submit(item)))
        if len(window) >= ahead:
            yield window.popleft()
    while window:
        yield window.popleft()


def checked(
    items: Sequence[Item], job: Job, store: Store, client: httpx.Client, stop: threading.Event
) -> Iterator[Outcome]:
    """Each page fetched on threads (the client's politeness paces each host) and checked, here or
    on worker processes for a long list, in the order listed."""
    if not items:
        return
    threads = max(1, job.settings.fetch.concurrency)
    pool: Executor | None = None
    if job.workers > 1 and len(items) >= POOL_FROM:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(job.workers, mp_context=context, initializer=_start_worker, initargs=(job,))
    fetching = ThreadPoolExecutor(threads, thread_name_prefix="watch-fetch")

    def fetched(item: Item) -> Future[Response]:
        return fetching.submit(fetch, item.url, client, accept=ARTICLE)

    try:
        pages = _ordered(fetched, items, threads * 2)
        if pool is None:
            for item, page in pages:
                if stop.is_set():
                    return
                yield _examined(item, page, job, store)
            return
        checks = pool

        def checked(pair: tuple[Item, Future[Response]]) -> Future[Outcome]:
            return _check_later(checks, *pair)

        for _, outcome in _ordered(checked, pages, job.workers * 3):
            if stop.is_set():
                return
            yield outcome.result()
    finally:
        fetching.shutdown(wait=True, cancel_futures=True)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _examined(item: Item, page: Future[Response], job: Job, store: Store) -> Outcome:
    try:
        return examine(item, page.result(), job, store)
    except ProvenanceError as exc:
        return Outcome(item, "failed", error=str(exc))


def _check_later(pool: Executor, item: Item, page: Future[Response]) -> Future[Outcome]:
    """The page's check on a worker, or its fetch error as an outcome already there."""
    try:
        response = page.result()
    except ProvenanceError as exc:
        done: Future[Outcome] = Future()
        done.set_result(Outcome(item, "failed", error=str(exc)))
        return done
    return pool.submit(_examine_in_worker, item, response)
