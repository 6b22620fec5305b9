"""Wall-clock deadlines: one per fetch (every try, robots.txt, headers and body), and the caller's.

httpx's timeouts bound each read, not a response: a server that sends a byte every few seconds,
in its headers or its body, never trips them. So `fetch()` runs under a deadline (`within()`,
a context variable, so each thread has its own), and the network stream under httpcore
(`stream.DeadlineStream`) gives every connect, read and write at most the time left, and fails with
`OutOfTime` once it is gone. The retry and politeness layers never wait past it either.

`OutOfTime` is deliberately not an httpx or httpcore error: nothing below `fetch()` retries it
or mistakes it for an answer (robots.txt), and `fetch()` turns it into a one-line FetchError.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class OutOfTime(Exception):
    """The deadline passed. The message says while doing what ("reading the answer"); `why` is what
    the deadline was ("took longer than 30 s, the limit for one fetch"), read where it is raised."""

    def __init__(self, doing: str) -> None:
        super().__init__(doing)
        self.why = why_late()


# (deadline, what it is: "the 20 s budget ran out"), for this thread's fetches
_deadline: ContextVar[tuple[float, str] | None] = ContextVar("provenance_fetch_deadline", default=None)
LATE = "out of time"  # what a deadline given without a reason says


def current() -> float | None:
    """The deadline (a time.monotonic() value) this thread is fetching under, if any."""
    found = _deadline.get()
    return found[0] if found else None


def why_late() -> str:
    """What the deadline in force means, for the error when it passes."""
    found = _deadline.get()
    return found[1] if found else LATE


@contextmanager
def within(deadline: float | None, why: str = LATE) -> Iterator[float | None]:
    """Run the block under `deadline` (`why`: what its passing means), unless an enclosing one comes first."""
    outer = _deadline.get()
    inner = (deadline, why) if deadline is not None and (outer is None or deadline < outer[0]) else outer
    token = _deadline.set(inner)
    try:
        yield inner[0] if inner else None
    finally:
        _deadline.reset(token)


def left(doing: str) -> float | None:
    """Seconds left before the deadline (None: none); OutOfTime when none are."""
    found = _deadline.get()
    if found is None:
        return None
    remaining = found[0] - time.monotonic()
    if remaining <= 0:
        raise OutOfTime(doing)
    return remaining


def bounded(timeout: float | None, doing: str) -> tuple[float | None, bool]:
    """The timeout for one socket operation, and whether the deadline (not `timeout`) set it."""
    remaining = left(doing)
    if remaining is None or (timeout is not None and timeout <= remaining):
        return timeout, False
    return remaining, True
