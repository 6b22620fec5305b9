"""One pass of `provenance watch`: refresh our index, read the sources, check each new page, record.

    own feeds/sitemaps --conditional GET--> our new articles --> index (ingest)      [network, store]
    sources (feeds, sitemaps, URL lists) --conditional GET--> listed pages           [network]
    search: our recent articles' distinctive phrases --> SearXNG --> result pages    [network]
    new pages --fetch (threads, one polite client)--> check against our index only
              (no web discovery; on worker processes when there are many: pages.py) --> Judge --> State

Each page is recorded in one transaction with its findings. A source's validators are saved with
what it lists, and a 304 answer stands for that listing: a pass killed at any point is finished by
the next one, which checks the listed pages not yet recorded, and no recorded page again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from provenance.errors import FetchError, InputError, ProvenanceError
from provenance.fetch import ARTICLE, fetch
from provenance.model import Article
from provenance.watch.judge import Judge
from provenance.watch.model import ItemError, Pass, SourceRun
from provenance.watch.pages import Item, Outcome, article_of, checked, interleaved
from provenance.watch.sources import Listed, read
from provenance.watch.state.base import ItemRecord, SourceRecord, State

if TYPE_CHECKING:
    import httpx

    from provenance.config import Watch
    from provenance.index.store.base import Store, StoredArticle
    from provenance.pipeline import Settings

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
    for outcome in checked(interleaved(items), job, store, client, stop):
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


def _record(outcome: Outcome, state: State, when: datetime, tally: _Tally) -> None:
    item = outcome.item
    state.record(ItemRecord(item.url, item.found_by, outcome.kind, when), outcome.copies, when)
    if outcome.kind in ("failed", "unreadable"):
        tally.errors.append(ItemError(item.url, item.found_by, outcome.error))
    else:
        tally.checked += 1
