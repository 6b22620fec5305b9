"""The pipeline for one article: load, discover candidates, compare, infer the origin, apply rules."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from provenance.compare import compare, prepare
from provenance.discover import Discoverer, DiscoveryContext, GivenCandidates
from provenance.model import Article, Candidate, Report, ShingleParams
from provenance.origin import DEFAULT_THRESHOLDS, Thresholds, infer
from provenance.publishers import Registry, bundled
from provenance.rules import Context, apply_rules
from provenance.sources import is_url, load


@dataclass(frozen=True)
class Settings:
    params: ShingleParams = field(default_factory=ShingleParams)
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    registry: Registry = field(default_factory=bundled)


def _same_page(a: Article, b: Article) -> bool:
    if a.source == b.source:
        return True
    return bool(a.canonical_url and a.canonical_url == b.canonical_url and a.text == b.text)


def check(
    article: Article | str,
    candidates: Sequence[Article | str] = (),
    *,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    discoverers: Sequence[Discoverer] = (),
) -> Report:
    """Where `article` (an Article, a path, a URL or "-") came from, and what its page fails to say.

    `candidates` are pages to compare it with; `discoverers` find more.
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

        client = new_client()
    try:
        with timed("extract"):
            if isinstance(article, str):
                article = load(article, settings.registry, client)
        context = DiscoveryContext(settings.registry, client)
        found: list[Candidate] = []
        with timed("discover"):
            strategies: list[Discoverer] = [GivenCandidates(candidates), *discoverers]
            for strategy in strategies:
                found.extend(c for c in strategy.discover(article, context) if not _same_page(article, c.article))
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
