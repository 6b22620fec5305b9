"""The tables of the index file, and how an article and its band keys become rows and come back.

Band keys live in a WITHOUT ROWID table keyed (band key, article), so a lookup is one indexed IN
query and a document costs about a kilobyte.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from provenance.index.store.base import BandKeys, StoredArticle, kept_date, kept_first_seen, unpack_text

APPLICATION_ID = 0x50524F56  # "PROV": marks the file as a provenance index
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a lookup's ids stay valid for its get
    url TEXT UNIQUE,
    content_key INTEGER NOT NULL UNIQUE,
    title TEXT,
    publisher TEXT,
    byline TEXT,
    published TEXT,  -- ISO 8601 as given, offset kept
    published_ts REAL,  -- the same instant as a Unix time, for ordering across offsets
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (  -- apart, so metadata and bands stay dense on their pages
    id INTEGER PRIMARY KEY,
    text BLOB NOT NULL  -- store.base.pack_text
);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (  -- `stamp`: how the band and content keys were made
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
PARAMS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def when(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    return _utc(value).timestamp()


def from_timestamp(value: float | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):  # a date past year 9999, stored before dates were checked
        return datetime.max.replace(tzinfo=UTC) if value > 0 else datetime.min.replace(tzinfo=UTC)


def signed_keys(keys: BandKeys) -> list[int]:
    """SQLite integers are signed; uint32 keys fit either way, as int32 they stay 4 bytes."""
    result: list[int] = np.asarray(keys, dtype=np.uint32).view(np.int32).tolist()
    return result


def stored_article(row: Sequence[object]) -> StoredArticle:
    url, title, publisher, byline, published, first_seen, text = row
    assert isinstance(text, bytes)
    return StoredArticle(
        url=url if isinstance(url, str) else None,
        title=title if isinstance(title, str) else None,
        publisher=publisher if isinstance(publisher, str) else None,
        byline=byline if isinstance(byline, str) else None,
        published=kept_date(when(published)) if isinstance(published, str) else None,
        first_seen=kept_first_seen(datetime.fromisoformat(str(first_seen))),
        paragraphs=unpack_text(text),
    )


def insert_bands(conn: sqlite3.Connection, table: str, keys: Sequence[tuple[int, BandKeys]]) -> None:
    """Each (article id, its unique band keys) into `table`, in key order: each B-tree page is visited
    once per batch."""
    if not keys:
        return
    band = np.concatenate([k for _, k in keys]).view(np.int32).astype(np.int64)
    ids = np.repeat(np.array([i for i, _ in keys], dtype=np.int64), [len(k) for _, k in keys])
    order = np.lexsort((ids, band))
    rows = (band[order] << 32) | ids[order]  # one JSON array: a third cheaper than a bound row each
    conn.execute(
        f"INSERT OR IGNORE INTO {table} (key, article) SELECT value >> 32, value & 4294967295 FROM json_each(?)",
        ("[" + ",".join(map(str, rows.tolist())) + "]",),
    )
