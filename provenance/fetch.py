"""The one HTTP client: timeouts, a body-size cap, a redirect limit and an honest User-Agent."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from provenance import __version__
from provenance.errors import FetchError

HOMEPAGE = "https://github.com/provenance-tool/provenance"
USER_AGENT = f"provenance/{__version__} (+{HOMEPAGE})"
MAX_BYTES = 20 * 1024 * 1024  # trafilatura's cap: no article page is larger
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    content: bytes
    content_type: str  # media type without parameters, lower case
    charset: str | None


def new_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        transport=transport,
    )


def fetch(url: str, client: httpx.Client, max_bytes: int = MAX_BYTES) -> Response:
    """GET `url`, reading at most `max_bytes` of (decompressed) body."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise FetchError(url, f"page is larger than {max_bytes // (1024 * 1024)} MB")
            media = response.headers.get("content-type", "")
            kind, _, params = media.partition(";")
            charset = params.partition("charset=")[2].strip(" \"'") or None
            return Response(str(response.url), bytes(body), kind.strip().lower(), charset)
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(url, "timed out") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, str(exc) or type(exc).__name__) from None
