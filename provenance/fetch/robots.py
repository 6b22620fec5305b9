"""robots.txt per RFC 9309, parsed by protego, fetched once per origin and client, and kept for
the process an hour.

Fetch outcomes (RFC 9309 section 2.3.1): 2xx is parsed; 4xx means no rules (allow all); 5xx,
429 and an unreachable server mean disallow all. Redirects are followed up to five hops. The
file is read up to 500 KiB, the least the RFC requires a crawler to parse. It goes through the
layers below this one, so it is also cached on disk, retried and paced like any request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
from protego import Protego

from provenance import urls
from provenance.errors import FetchError
from provenance.fetch.body import BadEncoding, read_prefix
from provenance.fetch.deadline import OutOfTime
from provenance.fetch.guard import check_url
from provenance.fetch.politeness import PolitenessTransport
from provenance.fetch.settings import ROBOTS_AGENT

MAX_ROBOTS_BYTES = 500 * 1024
_ROBOTS_REDIRECTS = 5
SKIP_ROBOTS = "provenance.skip_robots"  # request extension: an API call, not crawling (search, archive)


@dataclass(frozen=True, slots=True)
class Rules:
    url: str  # the robots.txt URL
    parser: Protego | None  # None: no rules, allow all
    blocked: str | None = None  # why everything is disallowed (5xx, unreachable)

    def allows(self, url: str) -> bool:
        if self.blocked:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, ROBOTS_AGENT))

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_AGENT)
        return float(delay) if delay is not None else None


MEMORY_SECONDS = 3600.0
# Rules read in this process, by robots.txt URL, with when they were read: many checks in one
# process (a batch, a server) each open a client, and should not each refetch robots.txt. Only
# answers are kept (rules, or none for a 4xx); a 5xx or an unreachable site is retried by the next
# client.
_memory: dict[str, tuple[float, Rules]] = {}
_memory_lock = threading.Lock()


def forget() -> None:
    """Drop the rules this process remembers (tests: each server is a new site, even on an old port)."""
    with _memory_lock:
        _memory.clear()


def _remembered(origin: str) -> Rules | None:
    with _memory_lock:
        seen = _memory.get(origin)
    return seen[1] if seen is not None and time.monotonic() - seen[0] < MEMORY_SECONDS else None


class RobotsTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        user_agent: str,
        allow_private: bool,
        trusted: frozenset[str] = frozenset(),
        politeness: PolitenessTransport | None = None,
    ) -> None:
        self.inner = inner
        self.user_agent = user_agent
        self.allow_private = allow_private
        self.trusted = trusted
        self.politeness = politeness
        self.rules: dict[str, Rules] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if request.extensions.get(SKIP_ROBOTS) or url.path == "/robots.txt":
            return self.inner.handle_request(request)
        rules = self._rules(url)
        if not rules.allows(str(url)):
            raise FetchError(str(url), rules.blocked or f"disallowed by robots.txt ({rules.url})")
        return self.inner.handle_request(request)

    def _rules(self, url: httpx.URL) -> Rules:
        origin = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
        with self.lock:
            lock = self.locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin, however many threads ask at once
            if origin not in self.rules:
                try:
                    rules = _remembered(origin) or self._fetch(origin)
                except OutOfTime:  # the caller's deadline, not the site's answer: nothing to remember
                    raise OutOfTime(f"reading {origin}") from None
                if rules.blocked is None:
                    with _memory_lock:
                        _memory.setdefault(origin, (time.monotonic(), rules))
                delay = rules.crawl_delay()
                if delay is not None and self.politeness is not None:
                    self.politeness.set_crawl_delay(url.host, delay)
                self.rules[origin] = rules
            return self.rules[origin]

    def _fetch(self, origin: str) -> Rules:
        try:
            return self._follow(origin)
        except (httpx.InvalidURL, ValueError) as exc:  # a redirect httpx cannot take (IDNA, ...)
            return Rules(origin, None, f"cannot read {origin}: bad URL on the way ({exc})")

    def _follow(self, origin: str) -> Rules:
        url = httpx.URL(origin)
        for _ in range(_ROBOTS_REDIRECTS + 1):
            check_url(url, self.allow_private, self.trusted)
            request = httpx.Request("GET", url, headers={"User-Agent": self.user_agent})
            try:
                response = self.inner.handle_request(request)
            except FetchError as exc:
                return Rules(origin, None, f"cannot read {origin}: {exc.reason}")
            except httpx.HTTPError as exc:
                return Rules(origin, None, f"cannot read {origin}: {exc or type(exc).__name__}")
            try:
                status = response.status_code
                location = response.headers.get("location")
                if 300 <= status < 400 and location:
                    target = urls.join(str(url), location)
                    if target is None or urls.problem(target):
                        return Rules(origin, None, f"{origin} redirects to a bad URL ({location[:200]!r})")
                    url = httpx.URL(target)
                    continue
                if 200 <= status < 300:
                    return Rules(origin, _parse(read_prefix(response, MAX_ROBOTS_BYTES)))
                if 400 <= status < 500 and status != 429:
                    return Rules(origin, None)
                return Rules(origin, None, f"{origin} answered HTTP {status}: the site asks not to be crawled now")
            except (BadEncoding, httpx.HTTPError) as exc:
                return Rules(origin, None, f"cannot read {origin}: {exc or type(exc).__name__}")
            finally:
                response.close()
        return Rules(origin, None, f"{origin} redirects more than {_ROBOTS_REDIRECTS} times")

    def close(self) -> None:
        self.inner.close()


def _parse(content: bytes) -> Protego:
    return Protego.parse(content.decode("utf-8", errors="replace"))
