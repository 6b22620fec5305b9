"""Reading a body within a size cap that counts decompressed bytes, without ever inflating past it.

httpx's own decoders inflate each network chunk whole: 64 KiB of a gzip bomb can become about
64 MB in one call, before any cap can look. Here the raw bytes are inflated with zlib's
`max_length`, so no step produces more than the room left under the cap. The client asks for
gzip and deflate only (ACCEPT_ENCODING), the encodings this module reads.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

from provenance.fetch import deadline

ACCEPT_ENCODING = "gzip, deflate"
_STEP = 256 * 1024  # most bytes one inflate step may produce, below the room left


class TooLarge(Exception):
    pass


class BadEncoding(Exception):
    pass


class Inflater:
    def __init__(self, encoding: str) -> None:
        self.deflate = encoding == "deflate"
        # gzip: the header is checked; deflate: zlib-wrapped as the RFC says, raw as many servers send
        self.engine = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS)
        self.started = False

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Inflate `data`, yielding pieces; stops once more than `room` bytes came out."""
        pending = data
        while not self.engine.eof:
            try:
                piece = self.engine.decompress(pending, min(room, _STEP) + 1)
            except zlib.error as exc:
                if self.deflate and not self.started:
                    self.engine, self.started = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                raise BadEncoding(str(exc)) from None
            self.started = True
            pending = self.engine.unconsumed_tail
            if not piece and not pending:  # all input taken, all output given: wait for more input
                return
            room -= len(piece)
            yield piece
            if room < 0:
                return


def content_coding(response: httpx.Response) -> str | None:
    """The one content coding to undo, "" for none; None for what this module cannot read."""
    header: str = response.headers.get("content-encoding", "")
    codings = [c for c in (c.strip().lower() for c in header.split(",")) if c and c != "identity"]
    if not codings:
        return ""
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return codings[0]
    return None


def _inflater(response: httpx.Response) -> Inflater | None:
    """What undoes the response's content coding (None: it has none); BadEncoding for one we don't know."""
    encoding = content_coding(response)
    if encoding is None:
        raise BadEncoding(f"unsupported content encoding {response.headers.get('content-encoding')!r}")
    return Inflater(encoding) if encoding else None


def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body; TooLarge past `max_bytes`, BadEncoding; OutOfTime past the fetch's deadline
    (checked between chunks too, for a transport without a network stream of its own)."""
    inflater = _inflater(response)
    body = bytearray()
    for raw in response.iter_raw():
        pieces = inflater.feed(raw, max_bytes - len(body)) if inflater else iter((raw,))
        for piece in pieces:
            body.extend(piece)
            if len(body) > max_bytes:
                raise TooLarge()
        deadline.left("reading the body")
    return bytes(body)


def read_prefix(response: httpx.Response, limit: int) -> bytes:
    """The first `limit` decoded bytes; the rest is never read. BadEncoding as read_body."""
    inflater = _inflater(response)
    body = bytearray()
    for raw in response.iter_raw():
        for piece in inflater.feed(raw, limit - len(body)) if inflater else (raw,):
            body.extend(piece)
        if len(body) >= limit:
            break
    return bytes(body[:limit])
