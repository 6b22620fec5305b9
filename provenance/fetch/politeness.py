"""Per-host politeness: a few requests at a time per host, spaced by a delay, and a global limit.

A slot is held until the response body is closed, not just until the headers arrive: a page
being streamed is still a request in flight. Thread-safe: discoverers fetch from threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from provenance.errors import FetchError
from provenance.fetch.deadline import OutOfTime, current, left
from provenance.fetch.settings import MAX_CRAWL_DELAY

WAIT_LIMIT = 300.0  # waiting longer than this for a slot means something is stuck: fail, don't hang


def _acquire(slots: threading.Semaphore, url: httpx.URL, what: str) -> None:
    """Take a slot, waiting no longer than WAIT_LIMIT or the fetch's deadline."""
    remaining = left(f"waiting for a free {what}")
    if slots.acquire(timeout=WAIT_LIMIT if remaining is None else min(remaining, WAIT_LIMIT)):
        return
    if remaining is not None and remaining < WAIT_LIMIT:
        raise OutOfTime(f"waiting for a free {what}")
    raise FetchError(str(url), f"no free {what} in {WAIT_LIMIT:.0f} s")


class _ReleasingStream(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, release: Callable[[], None]) -> None:
        self.response = response
        self.release: Callable[[], None] | None = release

    def __iter__(self) -> Iterator[bytes]:
        yield from self.response.iter_raw()

    def close(self) -> None:
        try:
            self.response.close()
        finally:
            release, self.release = self.release, None
            if release is not None:
                release()


def on_close(response: httpx.Response, request: httpx.Request, release: Callable[[], None]) -> httpx.Response:
    """`response` with `release` called once when its body is closed (read to the end or abandoned)."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=_ReleasingStream(response, release),
        extensions=response.extensions,
        request=request,
    )


@dataclass
class _Host:
    slots: threading.Semaphore
    next_start: float = 0.0
    crawl_delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class PolitenessTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, delay: float, host_concurrency: int, concurrency: int) -> None:
        self.inner = inner
        self.delay = delay
        self.host_concurrency = host_concurrency
        self.slots = threading.BoundedSemaphore(concurrency)
        self.hosts: dict[str, _Host] = {}
        self.lock = threading.Lock()

    def host(self, name: str) -> _Host:
        with self.lock:
            if name not in self.hosts:
                self.hosts[name] = _Host(threading.BoundedSemaphore(self.host_concurrency))
            return self.hosts[name]

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """robots.txt asked for this delay; it counts when larger than ours, up to MAX_CRAWL_DELAY."""
        self.host(host).crawl_delay = min(max(seconds, 0.0), MAX_CRAWL_DELAY)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = self.host(request.url.host)
        _acquire(host.slots, request.url, f"slot for {request.url.host}")
        try:
            deadline = current()
            with host.lock:
                # Starts are spaced, so two requests allowed at once still begin a delay apart.
                start = max(time.monotonic(), host.next_start)
                if deadline is not None and start > deadline:
                    raise OutOfTime(f"waiting for {request.url.host}'s delay")
                host.next_start = start + max(self.delay, host.crawl_delay)
            time.sleep(max(0.0, start - time.monotonic()))
            _acquire(self.slots, request.url, "connection slot")
        except BaseException:
            host.slots.release()
            raise

        def release() -> None:
            self.slots.release()
            host.slots.release()

        try:
            response = self.inner.handle_request(request)
        except BaseException:
            release()
            raise
        return on_close(response, request, release)

    def close(self) -> None:
        self.inner.close()
