"""What the fetcher may do, and how politely: one frozen object (`config.resolve` builds it from the
defaults, the settings file and the flags)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from provenance._version import __version__

HOMEPAGE = "https://github.com/provenance-tool/provenance"
USER_AGENT = f"provenance/{__version__} (+{HOMEPAGE})"
ROBOTS_AGENT = "provenance"  # the product token robots.txt groups are matched against
MAX_BYTES = 20 * 1024 * 1024  # trafilatura's cap: no article page is larger
MAX_REDIRECTS = 5
MAX_CRAWL_DELAY = 10.0  # a robots.txt Crawl-delay above this would stall a whole check for one host
FETCH_DEADLINE = 30.0  # seconds one fetch may take in all: every try, robots.txt, headers and body


@dataclass(frozen=True, slots=True)
class FetchSettings:
    allow_private: bool = False  # loopback, private and link-local addresses (never cloud metadata)
    # "host:port" origins reachable even on a private address: endpoints the user configured
    # (their SearXNG, a CDX mirror), not links met in pages. See trusting().
    trusted: frozenset[str] = frozenset()
    ignore_robots: bool = False
    offline: bool = False  # only the cache answers; any network request is an error
    cache: bool = True
    cache_dir: Path | None = None  # None: $PROVENANCE_CACHE, else the platform's user cache dir
    cache_ttl: float = 24 * 3600.0
    delay: float = 1.0  # seconds between the starts of two requests to one host
    host_concurrency: int = 1
    concurrency: int = 8  # requests in flight across all hosts
    attempts: int = 3
    backoff: float = 0.5  # first retry waits about this long, doubling each time
    max_retry_after: float = 30.0  # a longer Retry-After is not waited for: the response stands
    timeout: float = 30.0  # read, write and pool: the longest silence
    connect_timeout: float = 10.0
    fetch_deadline: float = FETCH_DEADLINE  # wall clock for one fetch(), whatever the server does
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT

    def cache_path(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        if os.environ.get("PROVENANCE_CACHE"):
            return Path(os.environ["PROVENANCE_CACHE"]).expanduser()
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("provenance"))

    def trusting(self, *urls: str | None) -> FetchSettings:
        """These settings, with the origins of `urls` (None: skipped) reachable on private addresses."""
        from provenance import urls as parsing
        from provenance.fetch.guard import origin

        added = set()
        for url in urls:
            parts = parsing.split(url) if url else None
            if parts is not None and parts.hostname:
                added.add(origin(parts.hostname, parts.port, parts.scheme))
        return replace(self, trusted=self.trusted | added)
