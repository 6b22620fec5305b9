"""The Store protocol: where known articles, their text and their LSH band keys live.

Two implementations behave the same (tests/test_store.py runs one suite
against both): SQLite, a file with nothing to start, and Redis, shared by many
machines. A store holds no fingerprinting logic: callers give it band keys,
and ask it which articles share the most keys with a query.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

BandKeys = npt.NDArray[np.uint32]
SCHEMA_VERSION = 2  # 2: no stored copy of band keys; LSH bands of 3 rows


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the index keeps it: metadata and body text, no markup."""

    url: str | None
    title: str | None
    publisher: str | None
    byline: str | None
    published: datetime | None
    first_seen: datetime
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """An article ready to store: dedup key, band keys and packed text, computed by the caller
    (on worker processes during a bulk ingest, so the single writer only writes)."""

    article: StoredArticle
    content_key: int  # identical texts share it (63-bit)
    band_keys: BandKeys
    packed_text: bytes = b""  # pack_text(article.paragraphs); computed on demand when empty

    def text_bytes(self) -> bytes:
        return self.packed_text or pack_text(self.article.paragraphs)


def pack_text(paragraphs: Sequence[str]) -> bytes:
    """Body text as both stores keep it: paragraphs joined by newlines, zlib-compressed."""
    return zlib.compress("\n".join(paragraphs).encode(), 6)


def unpack_text(data: bytes) -> tuple[str, ...]:
    return tuple(zlib.decompress(data).decode().split("\n"))


KeysOf = Callable[[StoredArticle], BandKeys]


@dataclass(frozen=True, slots=True)
class AddResult:
    added: int
    merged: int  # already present (same URL or same text): earliest dates kept


@dataclass(frozen=True, slots=True)
class Hit:
    key: int  # the store's id for the article
    shared_bands: int


@dataclass(frozen=True, slots=True)
class IndexStats:
    location: str
    articles: int
    band_entries: int
    bytes: int  # on disk or in memory, as the backend reports it
    text_bytes: int  # of which compressed body text
    oldest: datetime | None
    newest: datetime | None
    overhead_bytes: int | None = None  # what the index takes beyond the stored text, where the backend can tell


class Store(Protocol):
    location: str

    @property
    def write_batch(self) -> int:
        """How many articles per `add` suit this store in a bulk ingest."""
        ...

    def add(self, entries: Sequence[Entry]) -> AddResult:
        """Store a batch atomically: after a crash, all of it or none of it is there."""
        ...

    def lookup(self, band_keys: BandKeys, limit: int) -> list[Hit]:
        """Articles sharing band keys with the query, most shared first."""
        ...

    def get(self, keys: Sequence[int]) -> dict[int, StoredArticle]:
        """The articles still present among `keys` (one may be removed between lookup and get)."""
        ...

    def remove(self, urls: Sequence[str], band_keys: KeysOf) -> int:
        """Take out the articles at `urls`; `band_keys` gives a stored article's keys again (stores keep
        no copy of them: ~250 bytes an article, for an operation that is rare)."""
        ...

    def export(self) -> Iterator[StoredArticle]: ...

    def stats(self) -> IndexStats: ...

    def close(self) -> None: ...


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    """The earlier of two times; a time without a zone is taken as UTC."""
    if a is None or b is None:
        return a or b
    return min(a, b, key=lambda t: t if t.tzinfo else t.replace(tzinfo=UTC))
