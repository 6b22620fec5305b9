"""The network stream under httpcore that keeps the deadline of the fetch using it (`deadline.within`).

Apart from `deadline` so that a deadline costs no httpcore import: `check` of local files sets one too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore

from provenance.fetch.deadline import OutOfTime, bounded


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the deadline of the fetch using it."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        bound, by_deadline = bounded(timeout, "reading the answer")
        try:
            return self.inner.read(max_bytes, bound)
        except httpcore.ReadTimeout:
            if by_deadline:
                raise OutOfTime("reading the answer") from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        bound, by_deadline = bounded(timeout, "sending the request")
        try:
            self.inner.write(buffer, bound)
        except httpcore.WriteTimeout:
            if by_deadline:
                raise OutOfTime("sending the request") from None
            raise

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bound, by_deadline = bounded(timeout, "in the TLS handshake")
        try:
            return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, bound))
        except httpcore.ConnectTimeout:
            if by_deadline:
                raise OutOfTime("in the TLS handshake") from None
            raise

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


def connect(
    connect_tcp: Any, addresses: Iterable[str], port: int, timeout: float | None, **options: Any
) -> httpcore.NetworkStream:
    """`connect_tcp` to the first address that answers, each try bounded by the deadline."""
    error: Exception | None = None
    for address in addresses:
        bound, by_deadline = bounded(timeout, "connecting")
        try:
            return DeadlineStream(connect_tcp(address, port, bound, **options))
        except httpcore.ConnectTimeout as exc:
            if by_deadline:
                raise OutOfTime("connecting") from None
            error = exc
        except httpcore.ConnectError as exc:  # try the next address, as socket.create_connection does
            error = exc
    raise error or httpcore.ConnectError("no address to connect to")
