"""The pipeline for one article: load, discover candidates, compare, infer the origin, apply rules."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from provenance.discover import Budget, Discoverer, DiscoveryContext, GivenCandidates, Plan
from provenance.discover.run import discover, first_captures
from provenance.fetch.deadline import within
from provenance.fetch.settings import FetchSettings
from provenance.inputs import load
from provenance.model import Article, Candidate, Match, Report, ShingleParams, StrategyRun
from provenance.origin import infer
from provenance.origin.relation import COPY_RELATIONS, DEFAULT_THRESHOLDS, Thresholds, classify
from provenance.publishers import Registry, bundled
from provenance.rules import Context, apply_rules
from provenance.urls import is_url

if TYPE_CHECKING:
    import httpx

    from provenance.index.store.base import Store

ARCHIVE_PAGES = 5  # strong candidates whose first capture is looked up, besides the article's


@dataclass(frozen=True)
class Settings:
    params: ShingleParams = field(default_factory=ShingleParams)
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    registry: Registry = field(default_factory=bundled)
    fetch: FetchSettings = field(default_factory=FetchSettings)  # robots, cache, guard, ... (docs/fetching.md)


def check(
    article: Article | str,
    candidates: Sequence[Article | str] = (),
    *,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    discoverers: Sequence[Discoverer] = (),
    store: Store | None = None,
    discovery: Plan | None = None,
) -> Report:
    """Where `article` (an Article, a path, a URL or "-") came from, and what its page fails to say.

    `candidates` are pages to compare it with; `store` is an index of known
    articles searched for more; `discoverers` find more still, and so does
    `discovery` (the web strategies, `provenance.discover.build()`), within its
    budget. Strategies run concurrently; one that fails never fails the check.
    """
    settings = settings or Settings()
    timings: list[tuple[str, float]] = []

    @contextmanager
    def timed(stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings.append((stage, round(time.perf_counter() - start, 4)))

    own_client = client is None and (
        (isinstance(article, str) and is_url(article))
        or any(isinstance(c, str) and is_url(c) for c in candidates)
        or discovery is not None
    )
    if own_client:
        from provenance.fetch import new_client

        client = new_client(settings.fetch)
    # The budget starts now: with discovery, fetching the article itself (and its robots.txt) is in it.
    budget = Budget(discovery.budget, discovery.max_fetches) if discovery else Budget()
    try:
        with timed("extract"), within(budget.deadline, budget.late):
            if isinstance(article, str):
                article = load(article, settings.registry, client)
        context = DiscoveryContext(settings.registry, client, budget)
        with timed("discover"):
            local: list[Discoverer] = [GivenCandidates(candidates)] if candidates else []
            if store is not None:
                from provenance.discover.indexed import IndexCandidates

                local.insert(0, IndexCandidates(store))
            remote = [*discoverers, *(discovery.discoverers if discovery else ())]
            archive = discovery.archive if discovery else None
            found, runs = discover(article, context, local, remote, archive is not None)
            runs += [StrategyRun(name, "skipped", 0, why) for name, why in (discovery.skipped if discovery else ())]
        with timed("compare"):
            matches = _compared(article, found, settings.params)
        first_seen: dict[str, datetime] = {}
        if archive is not None:
            with timed("archive"):
                strong = [m.candidate.article for m in matches if classify(m, settings.thresholds) in COPY_RELATIONS]
                first_seen, run = first_captures(archive, article, strong[:ARCHIVE_PAGES], context)
                runs.append(run)
    finally:
        if own_client and client is not None:
            client.close()
    with timed("attribute"):
        inference = infer(article, matches, settings.registry, settings.thresholds, first_seen)
        gaps = apply_rules(Context(article, inference, settings.registry))
    return Report(
        article,
        inference.relation,
        inference.origin,
        tuple(matches),
        gaps,
        tuple(timings),
        tuple(runs),
        inference.siblings,
        tuple(sorted(first_seen.items())),
    )


def _compared(article: Article, found: Sequence[Candidate], params: ShingleParams) -> list[Match]:
    """Each candidate compared with the article, most copied first."""
    if not found:
        return []  # nothing to compare: a check with no candidate never loads numpy (a cold start costs less)
    from provenance.compare import compare, prepare

    article_text = prepare(article, params)
    matches = [compare(article_text, c, prepare(c.article, params), params) for c in found]
    return sorted(matches, key=lambda m: m.copied_share, reverse=True)
