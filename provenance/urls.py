"""URLs from strangers (pages, feeds, JSONL records, users), parsed without ever raising.

`urllib.parse` raises on some broken URLs (`http://[::1/x`: "Invalid IPv6 URL"; `.port` on
`http://h:99999/`), and httpx refuses others that urllib accepts (`http://0177.0.0.1/`). Every
URL that did not come from this program goes through these functions first, so a bad one is
dropped or refused with a reason, never an exception from deep inside a stage.

- `is_url(spec)`: whether what a user names is a web address (http:// or https://) or a path.
- `split(url)`: `urlsplit`, or None when it cannot be parsed.
- `join(base, href)`: `urljoin`, or None (a link to drop).
- `host(url)`: the host name, lower case, without a trailing dot; None when there is none.
- `problem(url)`: why `url` is not a usable http(s) address, or None when it is (`is_web_url`).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urljoin, urlsplit

MAX_LENGTH = 8192  # longer "URLs" are data, not addresses: servers refuse them too
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")  # controls and spaces, never raw in a URL
_LABEL = re.compile(r"[^\s/?#@:\[\]\\]+")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


def is_url(spec: str) -> bool:
    """Whether what a user names (an article, a candidate, an input) is a web address rather than a
    path: it starts with http:// or https:// (whether it is a usable one is `problem`'s question)."""
    return spec.startswith(("http://", "https://"))


def split(url: str) -> SplitResult | None:
    """`urlsplit(url)`, or None when it cannot be parsed (an unbalanced bracket, a bad port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError:
        return None
    return parts


def join(base: str | None, href: str) -> str | None:
    """`href` resolved against `base`, or None when either cannot be parsed: a link to drop."""
    if len(href) > MAX_LENGTH:
        return None
    try:
        joined = urljoin(base or "", href)
    except ValueError:
        return None
    return joined if split(joined) is not None else None


def host(url: str | None) -> str | None:
    """The host of `url`, lower case, without a trailing dot; None when it has none or cannot be parsed."""
    parts = split(url) if url else None
    name = parts.hostname if parts is not None else None
    return (name.rstrip(".") or None) if name else None


def problem(url: str) -> str | None:
    """Why `url` is not a well-formed http(s) address, or None when it is one."""
    if len(url) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    if _CONTROL.search(url):
        return "contains spaces or control characters"
    parts = split(url)
    if parts is None:
        return "cannot be parsed: a bad port or an unbalanced '['"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    name = parts.hostname
    if not name:
        return "has no host"
    return _host_problem(name, bracketed="[" in parts.netloc)


def is_web_url(url: str) -> bool:
    return problem(url) is None


def _host_problem(name: str, *, bracketed: bool) -> str | None:
    if bracketed:
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return f"bad IPv6 address {name!r}"
        return None
    labels = name.rstrip(".").split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return f"bad host name {name!r}"
    # As browsers (WHATWG URL): a host whose last label is a number is an IPv4 address, and must be a
    # plain dotted quad; octal, hex and short forms (0177.0.0.1, 0x7f.1, 127.1) are refused.
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        try:
            ipaddress.IPv4Address(name.rstrip("."))
        except ValueError:
            return f"bad IPv4 address {name!r}"
    try:
        name.encode("idna")
    except UnicodeError:
        return f"bad host name {name!r}"
    return None
