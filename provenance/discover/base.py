"""The Discoverer protocol: one strategy for finding pages the article may come from.

Strategies are independent and may fail; the pipeline runs each, keeps what
it found, and records what failed, so one broken strategy never fails a check.
Every request a strategy makes goes through `DiscoveryContext.fetch` or
`.load`, which charge the shared `Budget` (time and number of fetches).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from provenance import urls
from provenance.errors import FetchError, InputError, LimitReached
from provenance.model import Article, Candidate
from provenance.publishers import Registry

if TYPE_CHECKING:
    import httpx

    from provenance.fetch import Response


def page_host(article: Article) -> str | None:
    """The host the page was read from; its canonical one only when it was read from a file.

    A copy's rel=canonical may point to its original (syndication does this), so the canonical
    host is not "the article's own site" when the page's real address is known.
    """
    from provenance.publishers import host_of

    return host_of(article.url or article.canonical_url)


class Budget:
    """Time and fetches shared by every strategy of one check (thread-safe)."""

    def __init__(self, seconds: float | None = None, max_fetches: int | None = None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.max_fetches = max_fetches
        self.fetches = 0
        self._lock = threading.Lock()

    @property
    def late(self) -> str:
        """What a fetch cut off by this budget says."""
        return "out of time" if self.seconds is None else f"the {self.seconds:g} s budget (--budget) ran out"

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def take(self) -> None:
        """Charge one fetch, or raise LimitReached when time or fetches are spent."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise LimitReached(f"the {self.seconds:g} s budget is spent", timed_out=True)
        with self._lock:
            if self.max_fetches is not None and self.fetches >= self.max_fetches:
                raise LimitReached(f"--max-fetches {self.max_fetches} reached", timed_out=False)
            self.fetches += 1


@dataclass(frozen=True)
class DiscoveryContext:
    registry: Registry
    client: httpx.Client | None = None  # None: offline
    budget: Budget = field(default_factory=Budget)
    notes: list[str] = field(default_factory=list)  # per-page problems; the runner gives each strategy its own

    def _ready(self, url: str) -> httpx.Client:
        # URLs here come from pages, feeds and search results, not from the user: a path or a
        # file: URL must never reach inputs.load(), which would read it from the disk.
        if why := urls.problem(url):
            raise FetchError(url, f"not a valid URL: {why}")
        if self.client is None:
            raise FetchError(url, "offline (no network client)")
        self.budget.take()
        return self.client

    def fetch(self, url: str, *, api: bool = False) -> Response:
        """GET `url` through the shared client, charged to the budget.

        `api`: a search engine or an archive answering a query, not a page being crawled (no robots.txt).
        """
        from provenance.fetch import fetch
        from provenance.fetch.deadline import within

        client = self._ready(url)
        with within(self.budget.deadline, self.budget.late):
            return fetch(url, client, robots=not api)

    def load(self, url: str) -> Article:
        """The article at `url`, charged to the budget as one fetch, fetched within the budget's time."""
        from provenance.fetch.deadline import within
        from provenance.inputs import load

        client = self._ready(url)
        with within(self.budget.deadline, self.budget.late):
            return load(url, self.registry, client)

    def candidates(self, pages: Iterable[tuple[str, str]], found_by: str) -> Iterator[Candidate]:
        """Each (url, reason) loaded as a Candidate; a page that cannot be read becomes a note and the
        others go on."""
        for url, reason in pages:
            try:
                found = self.load(url)
            except (FetchError, InputError) as exc:
                self.notes.append(str(exc))
                continue
            yield Candidate(found, found_by, reason)


class Discoverer(Protocol):
    @property
    def name(self) -> str: ...

    def discover(self, article: Article, context: DiscoveryContext) -> Iterable[Candidate]: ...
