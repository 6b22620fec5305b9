"""Discovery: strategies that propose candidate sources for an article.

The strategies that go to the web are registered here, in `STRATEGIES`,
in the order they are listed in reports; `build()` makes them from
`DiscoveryOptions`. The index and the given candidates run first, on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from provenance.discover.base import Budget, Discoverer, DiscoveryContext
from provenance.discover.given import GivenCandidates
from provenance.discover.wayback import DEFAULT_ENDPOINT as WAYBACK_ENDPOINT
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

STRATEGIES = ("links", "publisher", "search", "wayback")
DEFAULT_BUDGET = 20.0  # seconds for all of discovery: a check a person waits for
DEFAULT_MAX_FETCHES = 30


@dataclass(frozen=True)
class DiscoveryOptions:
    strategies: tuple[str, ...] = STRATEGIES
    budget: float = DEFAULT_BUDGET
    max_fetches: int = DEFAULT_MAX_FETCHES
    searxng: str | None = None  # the search strategy is skipped without an instance
    wayback: str = WAYBACK_ENDPOINT
    window_hours: float = 48.0  # how far from the article's date a feed item may be
    max_pages: int = 3  # pages each strategy fetches at most (links: its top-ranked links)


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
