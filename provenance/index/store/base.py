"""The Store protocol: where known articles, their text and their LSH band keys live.

Two implementations behave the same (tests/test_store.py runs one suite
against both): SQLite, a file with nothing to start, and Redis, shared by many
machines. A store holds no fingerprinting logic: callers give it band keys,
and ask it which articles share the most keys with a query.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

import numpy as np
import numpy.typing as npt

from provenance import urls
from provenance.errors import StoreError

BandKeys = npt.NDArray[np.uint32]
SCHEMA_VERSION = 2  # 2: no stored copy of band keys; LSH bands of 3 rows
# Dates a store keeps: wide enough for any archive, narrow enough that every offset, UTC conversion
# and timestamp of them stays inside what datetime and a float represent exactly.
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
_NAIVE_RANGE = (EARLIEST.replace(tzinfo=None), LATEST.replace(tzinfo=None))
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


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
class Rekeyed:
    """A stored article's keys made again (`provenance index rebuild`): its id in the store, its content
    key and its band keys under the stamp in force."""

    key: int
    content_key: int
    band_keys: BandKeys


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
    # How the keys it holds were made (provenance.index.keys.stamp), read when it is opened and
    # recorded when it is created; None: an index from before stamps.
    stamp: str | None

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

    def ids(self) -> list[int]:
        """Every stored article's id, ascending."""
        ...

    def rekey(self, batches: Iterable[Sequence[Rekeyed]], stamp: str, *, contents: bool) -> int:
        """Replace every article's band keys (and, with `contents`, its content key) by those of
        `batches`, which give each stored article once, in ascending order of ids, and record `stamp`.

        Crash-safe: the new keys are written aside, batch by batch, and take the old ones' place with
        the stamp in one transaction at the end; until then the index is as it was (rerunning starts
        afresh). An article whose new content key is an earlier one's merges into it (earliest dates
        kept, as `add` merges), and the count of those is returned. Nothing else may write meanwhile.
        """
        ...

    def stats(self) -> IndexStats: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class Closing:
    """`with store: ...` closes the store at the end of the block: both stores take it from here."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def utc(value: datetime) -> datetime | None:
    """`value` in UTC (a time without a zone is taken as UTC); None when that falls outside datetime's
    years 1 to 9999 (9999-12-31T23:59:59-14:00 is in the year 10000 in UTC)."""
    offset = value.utcoffset() or timedelta(0)
    try:
        return (value.replace(tzinfo=None) - offset).replace(tzinfo=UTC)
    except OverflowError:
        return None


def instant(value: datetime) -> datetime:
    """`value` as an aware UTC time for ordering; one past datetime's range (in an index written before
    dates were checked) as the latest possible."""
    return utc(value) or datetime.max.replace(tzinfo=UTC)


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    """The earlier of two times; a time without a zone is taken as UTC."""
    if a is None or b is None:
        return a or b
    return min(a, b, key=instant)


def in_range(value: datetime) -> bool:
    """Whether `value` lies in EARLIEST..LATEST (a time without a zone taken as UTC)."""
    try:
        if value.tzinfo is None:
            return _NAIVE_RANGE[0] <= value < _NAIVE_RANGE[1]
        return EARLIEST <= value < LATEST  # compared in UTC: may overflow at datetime's ends
    except OverflowError:
        return False


def kept_date(value: datetime | None) -> datetime | None:
    """A date read back from a store, None when outside EARLIEST..LATEST (an index written before
    dates were checked): no later stage meets a date it cannot compute with."""
    return value if value is not None and in_range(value) else None


def kept_first_seen(value: datetime) -> datetime:
    """As kept_date, for the one date every article has: the nearest end of the range instead of None."""
    if in_range(value):
        return value
    return EARLIEST if instant(value) < EARLIEST else LATEST - timedelta(microseconds=1)


class InvalidArticle(ValueError):
    """A value no store keeps, because reading it back would fail later: the message says which."""


def _not_text(value: str | None) -> bool:
    """Whether `value` holds a lone surrogate, which UTF-8 cannot write."""
    if not value or value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def validate(article: StoredArticle, *, thorough: bool = True) -> None:
    """Refuse what would poison an index: a URL that does not parse, a date outside EARLIEST..LATEST,
    text that is not Unicode (a lone surrogate cannot be written as UTF-8).

    `thorough=False` is a store's own check of each batch, on the single writer, where time counts:
    a URL must parse, but an http(s) one is not checked as the fetcher would, and the paragraphs
    are left out (packing them as UTF-8 already checked them). Ingest checks thoroughly first.
    """
    url = article.url
    if url is not None:
        if not url.isprintable():
            raise InvalidArticle(f"url {url[:200]!r} contains control characters")
        if _URL_SCHEME.match(url):
            web = thorough and url[:5].lower() in ("http:", "https")
            why = urls.problem(url) if web else ("cannot be parsed" if urls.split(url) is None else None)
            if why:
                raise InvalidArticle(f"url {url[:200]!r} is not a valid URL: {why}")
    for name, value in (("published", article.published), ("first_seen", article.first_seen)):
        if value is not None and not in_range(value):
            raise InvalidArticle(f"{name} {value.isoformat()} is outside the years 1000 to 2999")
    for name, text in (("url", url), ("title", article.title), ("publisher", article.publisher)):
        if _not_text(text):
            raise InvalidArticle(f"{name} holds a lone surrogate, which is not text")
    if _not_text(article.byline):
        raise InvalidArticle("byline holds a lone surrogate, which is not text")
    if thorough and any(_not_text(p) for p in article.paragraphs):
        raise InvalidArticle("the text holds a lone surrogate, which is not text")


def refuse_invalid(location: str, entries: Sequence[Entry]) -> None:
    """A store's last check before a batch goes in (ingest checks each article before): StoreError."""
    for entry in entries:
        try:
            validate(entry.article, thorough=False)
        except InvalidArticle as exc:
            raise StoreError(location, f"refused {entry.article.url or 'an article'}: {exc}") from None
