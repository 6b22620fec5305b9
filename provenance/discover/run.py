"""Running strategies concurrently within the budget, and recording how each one ended.

Each strategy runs in a daemon thread rather than a ThreadPoolExecutor worker:
a strategy stuck in a slow read past the budget is abandoned, and a daemon
thread cannot hold the process open at exit the way pool workers (joined at
exit) would. The budget also stops it at its next fetch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from provenance.discover.base import Discoverer, DiscoveryContext, page_host
from provenance.discover.wayback import WaybackArchive
from provenance.errors import LimitReached, ProvenanceError
from provenance.fetch.deadline import within
from provenance.model import Article, Candidate, StrategyRun


@dataclass
class _Outcome:
    strategy: Discoverer
    context: DiscoveryContext
    candidates: list[Candidate] = field(default_factory=list)
    status: str = "timed-out"
    detail: str = ""
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _run(outcome: _Outcome, article: Article) -> None:
    start = time.perf_counter()
    try:
        for candidate in outcome.strategy.discover(article, outcome.context):
            with outcome.lock:
                outcome.candidates.append(candidate)
        status, detail = "ok", ""
    except LimitReached as exc:
        status, detail = ("timed-out" if exc.timed_out else "stopped"), str(exc)
    except ProvenanceError as exc:
        status, detail = "failed", str(exc)
    except Exception as exc:  # a strategy's bug must not fail the check: report it instead
        status, detail = "failed", f"internal error ({type(exc).__name__}: {exc})"
    with outcome.lock:
        outcome.status, outcome.detail = status, detail
        outcome.seconds = round(time.perf_counter() - start, 3)


def run_concurrently(
    strategies: Sequence[Discoverer], article: Article, context: DiscoveryContext, deadline: float | None
) -> Iterator[tuple[StrategyRun, list[Candidate]]]:
    """Each strategy's record and candidates, in the given order, once all end or `deadline` (monotonic) passes."""
    outcomes = [_Outcome(s, replace(context, notes=[])) for s in strategies]
    threads = [
        threading.Thread(target=_run, args=(o, article), name=f"discover-{o.strategy.name}", daemon=True)
        for o in outcomes
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    for outcome, thread in zip(outcomes, threads, strict=True):
        with outcome.lock:
            alive = thread.is_alive()
            status = "timed-out" if alive else outcome.status
            detail = outcome.detail
            seconds = round(time.perf_counter() - start, 3) if alive else outcome.seconds
            candidates = list(outcome.candidates)
            notes = tuple(outcome.context.notes)
        if alive:
            spent = context.budget.seconds
            detail = f"cut off after {seconds:.1f} s of the {spent:g} s budget" if spent is not None else "cut off"
        if status == "timed-out" and candidates:
            detail += f"; kept the {len(candidates)} candidate(s) found before"
        run = StrategyRun(outcome.strategy.name, status, len(candidates), detail, seconds, notes)
        yield run, candidates


def same_page(a: Article, b: Article) -> bool:
    """The same page, met twice (given and indexed, or the article as its own candidate).

    Equal canonical URLs make one page only on one site: a syndicated copy's rel=canonical names
    its original, and the original must stay a candidate.
    """
    if a.source == b.source or (a.url is not None and a.url == b.url):
        return True
    return a.canonical_url is not None and a.canonical_url == b.canonical_url and page_host(a) == page_host(b)


def _keep(article: Article, candidate: Candidate, found: list[Candidate]) -> None:
    """Add `candidate` unless it is the article or already found; a repeat adds to the first finder's reason."""
    if same_page(article, candidate.article):
        return
    for i, seen in enumerate(found):
        if same_page(candidate.article, seen.article):
            if candidate.found_by != seen.found_by and f"also {candidate.found_by}" not in seen.reason:
                found[i] = replace(seen, reason=f"{seen.reason}; also {candidate.found_by}: {candidate.reason}")
            return
    found.append(candidate)


ARCHIVE_SHARE = 0.25  # of the budget, kept for archive lookups, which can only start once candidates are known


def discover(
    article: Article,
    context: DiscoveryContext,
    local: Sequence[Discoverer],
    remote: Sequence[Discoverer],
    archive_after: bool,
) -> tuple[list[Candidate], list[StrategyRun]]:
    """Local strategies in order (their errors are the user's: they propagate), then the rest concurrently."""
    found: list[Candidate] = []
    runs: list[StrategyRun] = []
    for strategy in local:
        start = time.perf_counter()
        before = len(found)
        with within(context.budget.deadline, context.budget.late):  # --candidate URLs are in the budget too
            for candidate in strategy.discover(article, context):
                _keep(article, candidate, found)
        runs.append(StrategyRun(strategy.name, "ok", len(found) - before, "", round(time.perf_counter() - start, 3)))
    if remote:
        deadline = context.budget.deadline
        if deadline is not None and archive_after and context.budget.seconds:
            deadline -= ARCHIVE_SHARE * context.budget.seconds
        for run, candidates in run_concurrently(remote, article, context, deadline):
            runs.append(run)
            for candidate in candidates:
                _keep(article, candidate, found)
    return found, runs


@dataclass(frozen=True)
class _ArchiveLookups:
    """The archive's lookups as a strategy the runner can time and cut off; captures land in `found`."""

    archive: WaybackArchive
    pages: tuple[Article, ...]
    found: dict[str, datetime]

    @property
    def name(self) -> str:
        return self.archive.name

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        # The page's own address, not its canonical one: the checked page may name its source as canonical.
        urls = [(article.source, article.url or article.canonical_url)]
        urls += [(page.source, page.canonical_url or page.url) for page in self.pages]
        self.archive.first_captures([(k, u) for k, u in urls if u], context, self.found)
        return iter(())


def first_captures(
    archive: WaybackArchive, article: Article, pages: Sequence[Article], context: DiscoveryContext
) -> tuple[dict[str, datetime], StrategyRun]:
    """{Article.source: first capture} for the article and `pages`, within what is left of the budget."""
    found: dict[str, datetime] = {}
    lookups = _ArchiveLookups(archive, tuple(pages), found)
    ((run, _),) = run_concurrently([lookups], article, context, context.budget.deadline)
    if run.status == "ok":
        run = replace(run, found=len(found), detail=f"first captures of {len(found)} of {len(pages) + 1} page(s)")
    kept = found.copy()  # one call under the GIL: an abandoned lookup thread may still be adding
    return kept, replace(run, found=len(kept))
