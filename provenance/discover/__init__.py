"""Discovery: strategies that propose candidate sources for an article.

The strategies that go to the web are registered here: `build()` makes them
from `DiscoveryOptions` (which `config.resolve` decides; `STRATEGIES` names
them in the order reports list them). The index and the given candidates run first, on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from provenance.config.resolve import (
    DEFAULT_BUDGET,
    DEFAULT_MAX_FETCHES,
    STRATEGIES,
    WAYBACK_ENDPOINT,
    DiscoveryOptions,
)
from provenance.discover.base import Budget, Discoverer, DiscoveryContext
from provenance.discover.given import GivenCandidates
from provenance.discover.wayback import WaybackArchive

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_MAX_FETCHES",
    "STRATEGIES",
    "WAYBACK_ENDPOINT",
    "Budget",
    "Discoverer",
    "DiscoveryContext",
    "DiscoveryOptions",
    "GivenCandidates",
    "Plan",
    "WaybackArchive",
    "build",
]


@dataclass(frozen=True)
class Plan:
    """What to run: the candidate-finding strategies, the archive (run after comparison), and what was skipped."""

    discoverers: tuple[Discoverer, ...]
    archive: WaybackArchive | None
    skipped: tuple[tuple[str, str], ...]  # (strategy, why)
    budget: float
    max_fetches: int


def build(options: DiscoveryOptions) -> Plan:
    from provenance.discover.links import LinkCandidates
    from provenance.discover.publisher import PublisherFeeds

    unknown = [s for s in options.strategies if s not in STRATEGIES]
    if unknown:
        from provenance.errors import ConfigError

        raise ConfigError(f"unknown discovery strategy {unknown[0]!r} (known: {', '.join(STRATEGIES)})")
    discoverers: list[Discoverer] = []
    skipped: list[tuple[str, str]] = []
    archive = None
    for name in STRATEGIES:
        if name not in options.strategies:
            continue
        if name == "links":
            discoverers.append(LinkCandidates(max_pages=options.max_pages))
        elif name == "publisher":
            discoverers.append(PublisherFeeds(timedelta(hours=options.window_hours), options.max_pages))
        elif name == "search" and options.searxng:
            from provenance.discover.search import SearchCandidates
            from provenance.discover.search.searxng import Searxng

            discoverers.append(SearchCandidates(Searxng(options.searxng), max_pages=options.max_pages))
        elif name == "search":
            skipped.append((name, "no search engine configured ([discovery] searxng or $PROVENANCE_SEARXNG)"))
        elif name == "wayback":
            archive = WaybackArchive(options.wayback)
    return Plan(tuple(discoverers), archive, tuple(skipped), options.budget, options.max_fetches)
