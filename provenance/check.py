"""The pipeline for one article: load, discover candidates, compare, infer the origin, apply rules."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from provenance.compare import compare, prepare
from provenance.discover import Discoverer, DiscoveryContext, GivenCandidates
from provenance.fetch.settings import FetchSettings
from provenance.model import Article, Candidate, Report, ShingleParams
from provenance.origin import DEFAULT_THRESHOLDS, Thresholds, infer
from provenance.publishers import Registry, bundled
from provenance.rules import Context, apply_rules
from provenance.sources import is_url, load
from provenance.store.base import Store


@dataclass(frozen=True)
class Settings:
    params: ShingleParams = field(default_factory=ShingleParams)
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    registry: Registry = field(default_factory=bundled)
    fetch: FetchSettings = field(default_factory=FetchSettings)  # robots, cache, guard, ... (docs/fetching.md)


def _same_page(a: Article, b: Article) -> bool:
    """The same page, met twice (given and indexed, or the article as its own candidate)."""
    if a.source == b.source:
        return True
    return a.canonical_url is not None and a.canonical_url == b.canonical_url


def check(
    article: Article | str,
    candidates: Sequence[Article | str] = (),
    *,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    discoverers: Sequence[Discoverer] = (),
    store: Store | None = None,
) -> Report:
    """Where `article` (an Article, a path, a URL or "-") came from, and what its page fails to say.

    `candidates` are pages to compare it with; `store` is an index of known
    articles searched for more; `discoverers` find more still.
    """
    settings = settings or Settings()
    timings: list[tuple[str, float]] = []

    @contextmanager
    def timed(stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings.append((stage, round(time.perf_counter() - start, 4)))

    own_client = client is None and (
        (isinstance(article, str) and is_url(article)) or any(isinstance(c, str) and is_url(c) for c in candidates)
    )
    if own_client:
        from provenance.fetch import new_client

        client = new_client(settings.fetch)
    try:
        with timed("extract"):
            if isinstance(article, str):
                article = load(article, settings.registry, client)
        context = DiscoveryContext(settings.registry, client)
        found: list[Candidate] = []
        with timed("discover"):
            strategies: list[Discoverer] = [GivenCandidates(candidates), *discoverers]
            if store is not None:
                from provenance.discover.index import IndexCandidates

                strategies.insert(0, IndexCandidates(store))
            for strategy in strategies:
                for candidate in strategy.discover(article, context):
                    if not _same_page(article, candidate.article) and not any(
                        _same_page(candidate.article, seen.article) for seen in found
                    ):
                        found.append(candidate)
    finally:
        if own_client and client is not None:
            client.close()
    with timed("compare"):
        prepared = prepare(article, settings.params)
        matches = [compare(prepared, c, prepare(c.article, settings.params), settings.params) for c in found]
        matches.sort(key=lambda m: m.copied_share, reverse=True)
    with timed("attribute"):
        inference = infer(article, matches, settings.registry, settings.thresholds)
        gaps = apply_rules(Context(article, inference, settings.registry))
    return Report(article, inference.relation, inference.origin, tuple(matches), gaps, tuple(timings))
