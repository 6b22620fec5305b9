"""One pass of `provenance watch`: refresh our index, read the sources, check each new page, record.

    own feeds/sitemaps --conditional GET--> our new articles --> index (ingest)      [network, store]
    sources (feeds, sitemaps, URL lists) --conditional GET--> listed pages           [network]
    search: our recent articles' distinctive phrases --> SearXNG --> result pages    [network]
    new pages --fetch (threads, one polite client)--> check against our index only
              (no web discovery; on worker processes when there are many) --> Judge --> State

Each page is recorded in one transaction with its findings. A source's validators are saved with
what it lists, and a 304 answer stands for that listing: a pass killed at any point is finished by
the next one, which checks the listed pages not yet recorded, and no recorded page again.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from provenance.errors import FetchError, InputError, ProvenanceError
from provenance.fetch import ARTICLE, Response, fetch
from provenance.model import Article, Report
from provenance.publishers import host_of
from provenance.watch.judge import Judge
from provenance.watch.model import Copy, ItemError, Pass, SourceRun
from provenance.watch.sources import Listed, read
from provenance.watch.state.base import ItemRecord, SourceRecord, State

if TYPE_CHECKING:
    import httpx

    from provenance.config import Watch
    from provenance.index.store.base import Store, StoredArticle
    from provenance.pipeline import Settings

T = TypeVar("T")
R = TypeVar("R")
POOL_FROM = 20  # pages in a pass before worker processes pay for their start (about a second)
# progress events: ("sources" | "items", total) and ("source" | "item" | "finding", steps)
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Job:
    """Everything a pass needs but its connections; sent once to each worker process (it must pickle)."""

    watch: Watch
    judge: Judge
    settings: Settings  # shingles, thresholds, registry, fetching (without the HTTP cache: sources change)
    index: str  # workers open it read-only
    searxng: str | None = None  # [discovery] searxng, for the search strategy
    workers: int = 1


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


@dataclass
class _Tally:
    """What the pass gathers as it goes."""

    runs: list[SourceRun] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    indexed: int = 0
    checked: int = 0


def cutoff(since: datetime | timedelta | None, now: datetime) -> datetime | None:
    """`since` as a date: a duration counts back from the pass's start."""
    if isinstance(since, timedelta):
        return now - since
    return since


def _recent(listed: Listed, since: datetime | None) -> bool:
    if since is None or listed.published is None:
        return True  # undated: it may be new
    published = listed.published if listed.published.tzinfo else listed.published.replace(tzinfo=UTC)
    return published >= since


def article_of(url: str, response: Response, settings: Settings) -> Article:
    """The page's article, extracted as `check` extracts a URL (sources.load)."""
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


# --- the pass ------------------------------------------------------------------------------------------


def run_pass(
    job: Job,
    state: State,
    store: Store,
    client: httpx.Client,
    *,
    now: datetime | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> Pass:
    """One pass; `stop` (set by a signal handler) ends it after the page in hand, keeping what was done.

    The findings of the Pass are every finding no pass has reported yet: this one's, and those of
    a pass killed before it could show them. The caller shows them, then `state.mark_reported()`.
    """
    started = now or datetime.now(UTC)
    since = cutoff(job.watch.since, started)
    stop = stop or threading.Event()
    tell = progress or (lambda event, count: None)
    tally = _Tally()
    tell("sources", len(job.watch.own_feeds) + len(job.watch.own_sitemaps) + len(job.watch.sources))
    _refresh_own(job, state, store, client, since, started, stop, tally, tell)
    items: list[Item] = []
    for source in job.watch.sources:
        if stop.is_set():
            break
        listed = _read_source(source.url, source.kind, False, state, client, started, tally)
        tell("source", 1)
        items += _new_items(listed, source.url, since, job, state, tally)
    if job.watch.search and not stop.is_set():
        items += _searched(job, state, client, since, tally, {i.url for i in items})
    tell("items", len(items))
    for outcome in _checked(_interleaved(items), job, store, client, stop):
        _record(outcome, state, started, tally)
        tell("item", 1)
        if outcome.copies:
            tell("finding", len(outcome.copies))
    finished = datetime.now(UTC)
    if not stop.is_set():
        state.pass_done(finished)
    return Pass(
        started=started,
        finished=finished,
        sources=tuple(tally.runs),
        indexed=tally.indexed,
        checked=tally.checked,
        findings=tuple(state.unreported()),
        errors=tuple(tally.errors),
        notes=tuple(tally.notes),
        fail_on=job.judge.policy.fail_on,
        stopped=stop.is_set(),
    )


def _read_source(
    url: str, kind: str, own: bool, state: State, client: httpx.Client, when: datetime, tally: _Tally
) -> list[Listed]:
    """What the source lists now: as read, or as remembered when it answers 304; [] when it fails.
    Saved at once: the pages of a listing a killed pass did not get to are still pending in the next."""
    record = state.source(url)
    prefix = "own-" if own else ""
    known = record.role if record else prefix + ("feed" if kind == "auto" else kind)  # what it was read as
    try:
        reading = read(url, kind, client, record)
    except (FetchError, InputError) as exc:
        failures = (record.failures if record else 0) + 1
        kept = (record.etag, record.last_modified, record.last_read) if record else (None, None, None)
        failed = SourceRecord(url, known, *kept, status="failed", error=str(exc), failures=failures)
        state.update_source(failed, None, when)
        tally.runs.append(SourceRun(url, known, "failed", detail=str(exc)))
        return []
    role = prefix + reading.kind if reading.kind else known
    saved = SourceRecord(url, role, reading.etag, reading.last_modified, when, reading.status, "", 0)
    if reading.status == "read":
        listed = list(reading.items)
        state.update_source(saved, [(entry.url, entry.published) for entry in listed], when)
    else:
        state.update_source(saved, None, when)
        listed = [Listed(page, published=published) for page, published in state.listing(url)]
    tally.runs.append(SourceRun(url, role, reading.status, listed=len(listed)))
    return listed


def _note_new(tally: _Tally, count: int) -> None:
    """The last source read lists `count` pages no pass has dealt with."""
    run = tally.runs[-1]
    tally.runs[-1] = SourceRun(run.url, run.role, run.status, run.listed, count, run.detail)


def _new_items(
    listed: Sequence[Listed], source: str, since: datetime | None, job: Job, state: State, tally: _Tally
) -> list[Item]:
    # Our own pages are never findings. They are not recorded either: our feeds may list them later.
    pages = state.pending([e.url for e in listed if _recent(e, since) and not job.judge.is_ours(e.url)])
    _note_new(tally, len(pages))
    return [Item(url, source) for url in pages]


def _refresh_own(
    job: Job,
    state: State,
    store: Store,
    client: httpx.Client,
    since: datetime | None,
    when: datetime,
    stop: threading.Event,
    tally: _Tally,
    tell: Progress,
) -> None:
    """Our new articles from our feeds and sitemaps, into the index, each remembered with the
    phrases the search strategy asks for."""
    from provenance.discover.search import distinctive_phrases
    from provenance.index.ingest import ingest, stored

    own = [(u, "feed") for u in job.watch.own_feeds] + [(u, "sitemap") for u in job.watch.own_sitemaps]
    for url, kind in own:
        if stop.is_set():
            return
        listed = _read_source(url, kind, True, state, client, when, tally)
        tell("source", 1)
        recent = {entry.url: entry for entry in listed if _recent(entry, since)}
        new = state.pending(list(recent))
        _note_new(tally, len(new))
        articles: list[tuple[Listed, Article]] = []
        for page_url in new:
            if stop.is_set():
                break
            try:
                articles.append((recent[page_url], _own_article(recent[page_url], job.settings, client)))
            except (FetchError, InputError) as exc:
                state.record(ItemRecord(page_url, url, "failed", when), (), when)
                tally.errors.append(ItemError(page_url, url, str(exc)))
        if not articles:
            continue
        kept = [_dated(stored(article), entry.published) for entry, article in articles]
        totals = ingest(store, kept, skip_bad=True, on_skipped=lambda where, why: tally.notes.append(f"{where}: {why}"))
        tally.indexed += totals.added
        for (entry, article), article_kept in zip(articles, kept, strict=True):
            phrases = tuple(distinctive_phrases(article))
            state.record(ItemRecord(entry.url, url, "indexed", when, article_kept.published, phrases), (), when)


def _dated(article: StoredArticle, published: datetime | None) -> StoredArticle:
    """The listing's date for an article whose page shows none."""
    return article if article.published or published is None else replace(article, published=published)


def _own_article(entry: Listed, settings: Settings, client: httpx.Client) -> Article:
    from provenance.inputs import extract_bytes

    if entry.content_html:  # a feed carrying the whole article
        return extract_bytes(entry.url, entry.content_html.encode(), "html", settings.registry, entry.url)
    return article_of(entry.url, fetch(entry.url, client, accept=ARTICLE), settings)


def _searched(
    job: Job, state: State, client: httpx.Client, since: datetime | None, tally: _Tally, known: set[str]
) -> list[Item]:
    """Pages on sites nobody listed: each recent article of ours asks the search engine for its
    distinctive phrases, exactly (the phrases `check`'s search strategy asks for)."""
    from provenance.discover import Budget, DiscoveryContext
    from provenance.discover.search.searxng import Searxng

    if not job.searxng:
        tally.notes.append("search is on, but no search engine is configured ([discovery] searxng)")
        return []
    backend = Searxng(job.searxng)
    context = DiscoveryContext(job.settings.registry, client, Budget())
    found: dict[str, str] = {}
    asked = failed = 0
    for record in state.ours(since):
        for phrase in record.phrases:
            asked += 1
            try:
                results = backend.search(f'"{phrase}"', context)
            except ProvenanceError as exc:
                failed += 1
                tally.notes.append(f"search: {exc}")
                continue
            for result in results:
                if result.url not in known and not job.judge.is_ours(result.url):
                    found.setdefault(result.url, f'search: "{phrase}"')
    status = "failed" if asked and failed == asked else "read"
    tally.runs.append(SourceRun(job.searxng, "search", status, len(found), detail=f"{asked} queries"))
    new = state.pending(list(found))
    _note_new(tally, len(new))
    return [Item(url, found[url]) for url in new]


def _interleaved(items: Sequence[Item]) -> list[Item]:
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


def _checked(
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


def _record(outcome: Outcome, state: State, when: datetime, tally: _Tally) -> None:
    item = outcome.item
    state.record(ItemRecord(item.url, item.found_by, outcome.kind, when), outcome.copies, when)
    if outcome.kind in ("failed", "unreadable"):
        tally.errors.append(ItemError(item.url, item.found_by, outcome.error))
    else:
        tally.checked += 1
