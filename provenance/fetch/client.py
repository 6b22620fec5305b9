"""The one HTTP client, and `fetch()`, which reads a response within the limits.

Every rule lives in the client's transport chain, so whoever holds the client gets it:

    GuardTransport       scheme, IP literals and localhost names, on every redirect hop
    RobotsTransport      robots.txt per origin (skipped with ignore-robots and offline)
    hishel CacheTransport  the disk cache (skipped with no-cache); a hit goes no further
    PolitenessTransport  per-host slots and delay, global slots
    RetryTransport       backoff on transport errors, 429 and 5xx
    GuardedHTTPTransport the network, connecting only to checked addresses
    (or OfflineTransport: every request that reaches it is an error)

The cache sits above politeness and retries so that a hit neither waits for a host's delay nor
counts against its slots.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from provenance import urls
from provenance.decoding import codec_for
from provenance.errors import FetchError
from provenance.fetch.body import ACCEPT_ENCODING, BadEncoding, TooLarge, read_body
from provenance.fetch.deadline import OutOfTime, within
from provenance.fetch.guard import GuardedHTTPTransport, GuardTransport
from provenance.fetch.politeness import PolitenessTransport
from provenance.fetch.retry import TRIES, RetryTransport
from provenance.fetch.robots import SKIP_ROBOTS, RobotsTransport
from provenance.fetch.settings import FETCH_DEADLINE, MAX_BYTES, FetchSettings

CACHE_FILE = "http-cache.sqlite"
log = logging.getLogger(__name__)
# hishel logs storage failures with tracebacks; it falls back to the network by itself, and a
# library's logs are its user's to show.
logging.getLogger("hishel").addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    content: bytes
    content_type: str  # media type without parameters, lower case
    charset: str | None
    status: int = 200  # 2xx, or 304 Not Modified for a conditional request (`fetch(..., headers=...)`)
    # the validators of a conditional GET, as the server sent them: "etag", "last-modified"
    validators: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Accept:
    """The media types a caller can use, checked before the body is read."""

    types: frozenset[str]
    name: str  # for the error: "content type image/png is not HTML or plain text"


ARTICLE = Accept(frozenset({"text/html", "application/xhtml+xml", "text/plain"}), "HTML or plain text")


class OfflineTransport(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise FetchError(str(request.url), "offline: not in the cache")


def _cache(inner: httpx.BaseTransport, settings: FetchSettings) -> httpx.BaseTransport:
    # hishel 2.x: CacheTransport wraps any sync httpx transport; without rfc=True it keeps every
    # 2xx GET for the storage's TTL whatever the page's Cache-Control says, which is what a
    # repeated check wants (news pages often say no-cache). Imported here: only a cached client pays.
    from hishel import SqliteStorage
    from hishel.httpx import CacheTransport

    directory = settings.cache_path()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not os.access(directory, os.W_OK):
            raise PermissionError("not writable")
    except OSError as exc:
        log.warning("warning: HTTP cache off: cannot use %s (%s)", directory, exc.strerror or exc)
        return inner
    storage = SqliteStorage(
        database_path=directory / CACHE_FILE,
        default_ttl=settings.cache_ttl,
        max_stream_size=settings.max_bytes,
    )
    return CacheTransport(next_transport=inner, storage=storage)


class Client(httpx.Client):
    """An httpx.Client that also knows how long one `fetch()` through it may take."""

    def __init__(self, *, fetch_deadline: float = FETCH_DEADLINE, **options: Any) -> None:
        super().__init__(**options)
        self.fetch_deadline = fetch_deadline


def new_client(settings: FetchSettings | None = None, *, transport: httpx.BaseTransport | None = None) -> Client:
    """A client with every rule of `settings`. `transport` replaces the network (and so the connect-time
    guard), under every other rule."""
    settings = settings or FetchSettings()
    network: httpx.BaseTransport
    if settings.offline:
        network = OfflineTransport()
    else:
        network = transport or GuardedHTTPTransport(settings.allow_private, settings.trusted, settings.concurrency)
        network = RetryTransport(network, settings.attempts, settings.backoff, settings.max_retry_after)
    politeness = PolitenessTransport(network, settings.delay, settings.host_concurrency, settings.concurrency)
    chain: httpx.BaseTransport = _cache(politeness, settings) if settings.cache else politeness
    if not settings.ignore_robots and not settings.offline:
        chain = RobotsTransport(chain, settings.user_agent, settings.allow_private, settings.trusted, politeness)
    return Client(
        fetch_deadline=settings.fetch_deadline,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        transport=GuardTransport(chain, settings.allow_private, settings.trusted),
    )


def fetch(
    url: str,
    client: httpx.Client,
    max_bytes: int = MAX_BYTES,
    *,
    accept: Accept | None = None,
    robots: bool = True,
    deadline: float | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """GET `url`, reading at most `max_bytes` of decompressed body, within a wall-clock deadline.

    `accept` refuses other media types before the body is read (a missing Content-Type passes).
    `robots=False` is for API calls (a search engine, an archive), which are not crawling.
    The fetch ends by the earliest of: the client's `fetch_deadline` from now (every try, the
    robots.txt it needs, headers and body), `deadline` (a time.monotonic() value, such as a
    discovery budget's) and the deadline of an enclosing `fetch.deadline.within()`.
    `headers` are added to the request: `If-None-Match` and `If-Modified-Since` make it conditional,
    and a 304 answer is a Response with that status and no content.
    """
    if why := urls.problem(url):
        raise FetchError(url, f"not a valid URL: {why}")
    limit = client.fetch_deadline if isinstance(client, Client) else FETCH_DEADLINE
    extensions: dict[str, Any] = {} if robots else {SKIP_ROBOTS: True}
    try:
        with (
            within(deadline),
            within(time.monotonic() + limit, f"took longer than {limit:g} s, the limit for one fetch"),
            client.stream("GET", url, headers=headers, extensions=extensions) as response,
        ):
            return _read(url, response, max_bytes, accept)
    except OutOfTime as exc:
        raise FetchError(url, f"{exc.why} ({exc})") from None
    except FetchError as exc:
        if exc.url == url:
            raise
        raise FetchError(url, f"redirected to {exc.url}: {exc.reason}") from None
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {client.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(url, "timed out") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, str(exc) or type(exc).__name__) from None
    except (httpx.InvalidURL, ValueError) as exc:  # a redirect to a URL httpx cannot take (IDNA, ...)
        raise FetchError(url, f"bad URL on the way ({exc})") from None


def _too_large(max_bytes: int) -> str:
    return f"page is larger than {max_bytes / (1024 * 1024):g} MB"


def _read(url: str, response: httpx.Response, max_bytes: int, accept: Accept | None) -> Response:
    if response.status_code >= 400:
        tries = response.extensions.get(TRIES, 1)
        after = f" after {tries} tries" if tries > 1 else ""
        retry_after = response.headers.get("retry-after")
        wait = f" (Retry-After: {retry_after})" if retry_after and response.status_code in (429, 503) else ""
        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}{after}{wait}")
    validators = {k: v for k in ("etag", "last-modified") if (v := response.headers.get(k))}
    if response.status_code == 304:
        return Response(str(response.url), b"", "", None, 304, validators)
    media = response.headers.get("content-type", "")
    kind, _, params = media.partition(";")
    kind = kind.strip().lower()
    if accept is not None and kind and kind not in accept.types:
        raise FetchError(url, f"content type {kind} is not {accept.name}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:  # compressed or not, it is too large
        raise FetchError(url, _too_large(max_bytes))
    try:
        # The cap counts decompressed bytes, and nothing inflates past it: a gzip bomb stops here.
        body = read_body(response, max_bytes)
    except TooLarge:
        raise FetchError(url, _too_large(max_bytes)) from None
    except BadEncoding as exc:
        raise FetchError(url, f"cannot decode the body: {exc}") from None
    label = next((v for k, _, v in (p.strip().partition("=") for p in params.split(";")) if k.lower() == "charset"), "")
    return Response(str(response.url), body, kind, codec_for(label), response.status_code, validators)
