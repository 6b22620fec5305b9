"""The address guard: untrusted pages must not make us fetch from loopback, the LAN or cloud metadata.

Two checks, because either alone has a hole:
- `GuardTransport` (outermost) refuses IP literals and `localhost` names on every request, so
  every redirect hop is checked and a cached response for such a URL is not served either.
- `GuardedBackend` (innermost, at connect time) resolves the host name once, refuses the
  connection if any address it resolves to is not allowed, and connects to exactly the address
  it checked. The name is never resolved again, so a DNS answer that changes between check and
  connect (DNS rebinding) cannot slip a private address through. TLS still verifies the
  certificate against the host name: only the TCP connection is made to the checked address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from provenance.errors import FetchError
from provenance.fetch import stream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services hand out credentials: refused even with allow-private.
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2")
)
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class RefusedAddress(Exception):
    """Raised below httpx, where the URL is unknown; the transport turns it into a FetchError."""

    def __init__(self, host: str, reason: str, prefix: str = "refused: ") -> None:
        super().__init__(f"{prefix}{host} {reason}")


# Prefixes whose addresses carry an IPv4 address in their low 32 bits: NAT64 (RFC 6052's well-known
# prefix), IPv4-compatible (deprecated, still routed by some stacks) and IPv4-translated (SIIT).
_LOW_32_PREFIXES = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "::/96", "::ffff:0:0:0/96"))


def embedded_ipv4(address: IPAddress) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 form wraps, and the form's name; None for a plain address.

    A packet to such an address can reach the IPv4 one (a NAT64 gateway, a 6to4 relay, a stack
    that maps them), so the guard decides on the IPv4 address too.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, "IPv4-mapped"
    if address.sixtofour is not None:
        return address.sixtofour, "6to4"
    if address.teredo is not None:
        return address.teredo[1], "Teredo"
    for network, form in zip(_LOW_32_PREFIXES, ("NAT64", "IPv4-compatible", "IPv4-translated"), strict=True):
        if address in network and int(address) > 1:  # not :: or ::1, which are themselves
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), form
    return None


def refusal(address: IPAddress, allow_private: bool) -> str | None:
    """Why `address` may not be fetched from, or None when it may.

    An IPv6 address wrapping an IPv4 one (NAT64, 6to4, Teredo, IPv4-mapped or -compatible) is
    refused when the IPv4 address would be: metadata, loopback and private ranges in any spelling.
    """
    wrapped = embedded_ipv4(address)
    if wrapped is not None:
        inner, form = wrapped
        reason = _plain_refusal(inner, allow_private)
        if reason is not None:
            return f"wraps {inner} ({form}), which {reason}"
        if form in ("IPv4-mapped", "NAT64", "IPv4-compatible", "IPv4-translated"):
            return None  # the same as the public IPv4 address
    return _plain_refusal(address, allow_private)


def _plain_refusal(address: IPAddress, allow_private: bool) -> str | None:
    if address in METADATA:
        return "is a cloud metadata address"
    if address.is_global and not address.is_multicast and not address.is_reserved:
        return None
    if allow_private and not address.is_multicast and not address.is_unspecified:
        return None
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            hint = "" if kind in ("multicast", "unspecified") else "; use --allow-private to fetch from it"
            return f"is a {kind.replace('_', '-')} address{hint}"
    return "is not a public address; use --allow-private to fetch from it"


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def origin(host: str, port: int | None, scheme: str = "http") -> str:
    """ "host:port", as `FetchSettings.trusted` holds them."""
    return f"{host.lower().rstrip('.')}:{port or (443 if scheme == 'https' else 80)}"


def check_url(url: httpx.URL, allow_private: bool, trusted: frozenset[str] = frozenset()) -> None:
    """Refuse what can be judged from the URL alone: the scheme, IP literals, localhost names."""
    if url.scheme not in ("http", "https"):
        raise FetchError(str(url), f"unsupported scheme {url.scheme!r} (only http and https)")
    host = url.host.lower().rstrip(".")
    allow_private = allow_private or origin(host, url.port, url.scheme) in trusted
    address = _literal(host)
    if address is not None:
        reason = refusal(address, allow_private)
    elif not allow_private and (host in _LOCAL_NAMES or host.endswith(".localhost")):
        reason = "is a loopback name; use --allow-private to fetch from it"
    else:
        return
    if reason:
        raise FetchError(str(url), f"refused: {host} {reason}")


class GuardTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, allow_private: bool, trusted: frozenset[str]) -> None:
        self.inner = inner
        self.allow_private = allow_private
        self.trusted = trusted

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        check_url(request.url, self.allow_private, self.trusted)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to addresses the guard accepted."""

    def __init__(self, allow_private: bool, trusted: frozenset[str]) -> None:
        self.allow_private = allow_private
        self.trusted = trusted
        self.inner = httpcore.SyncBackend()

    def _resolve(self, host: str, port: int) -> list[str]:
        # The scheme is unknown here, but the port was filled in from it, which is all origin() needs.
        allow_private = self.allow_private or origin(host, port) in self.trusted
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            # Not an httpcore error, so not retried: a name that does not resolve will not in a second.
            raise RefusedAddress(host, f"does not resolve ({exc.strerror})", prefix="") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            # One bad answer refuses them all: a rebinding server mixes public and private answers.
            reason = refusal(ipaddress.ip_address(address.partition("%")[0]), allow_private)
            if reason:
                raise RefusedAddress(host, f"resolves to {address}, which {reason}")
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """A stream to the first checked address that answers, bounded by the fetch's deadline."""
        addresses = self._resolve(host, port)
        options = {"local_address": local_address, "socket_options": socket_options}
        return stream.connect(self.inner.connect_tcp, addresses, port, timeout, **options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise RefusedAddress(path, "is a Unix socket")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class GuardedHTTPTransport(httpx.HTTPTransport):
    """httpx's transport over `GuardedBackend`. Proxies from the environment are not used: the guard
    must see the address it connects to."""

    def __init__(self, allow_private: bool, trusted: frozenset[str], max_connections: int) -> None:
        # httpx offers no way to pass a network backend, so this builds the pool HTTPTransport would
        # (its only state) instead of calling its __init__.
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow_private, trusted),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except RefusedAddress as exc:
            raise FetchError(str(request.url), str(exc)) from None
