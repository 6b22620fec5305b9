"""Retries with exponential backoff and jitter, on transport errors, 429 and 5xx, honouring Retry-After.

Other 4xx are the server's answer and are never retried. A Retry-After longer than
`max_retry_after`, or a wait that would end past the fetch's deadline (fetch/deadline.py: its
own limit, or a discovery budget), is not waited for: the 429/503 response stands, so a hostile or overloaded
server cannot stall a check.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx

from provenance.errors import FetchError
from provenance.fetch.deadline import current

# 429 and 5xx, but for the 5xx no retry can change (not implemented, HTTP version, network login).
RETRIED_STATUSES = frozenset({429, *range(500, 600)} - {501, 505, 511})
TRIES = "provenance.tries"  # response extension: how many attempts it took


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = str(exc) or type(exc).__name__
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused"
    if "reset" in text.lower():
        return "connection reset"
    return text


class RetryTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, attempts: int, backoff: float, max_retry_after: float) -> None:
        self.inner = inner
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_retry_after = max_retry_after

    def _pause(self, attempt: int) -> float:
        return float(self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = current()
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError as exc:
                pause = self._pause(attempt)
                if last or (deadline is not None and time.monotonic() + pause > deadline):
                    tries = f" after {attempt} tries" if attempt > 1 else ""
                    raise FetchError(str(request.url), f"{_reason(exc)}{tries}") from None
                time.sleep(pause)
                continue
            if response.status_code not in RETRIED_STATUSES or last:
                response.extensions[TRIES] = attempt
                return response
            asked = retry_after(response.headers.get("retry-after"))
            pause = max(asked or 0.0, self._pause(attempt))
            late = deadline is not None and time.monotonic() + pause > deadline
            if late or (asked is not None and asked > self.max_retry_after):
                response.extensions[TRIES] = attempt
                return response
            response.close()
            time.sleep(pause)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.inner.close()
