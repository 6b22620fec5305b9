"""The embedded index: one SQLite file in WAL mode, nothing to start.

Band keys live in a WITHOUT ROWID table keyed (band key, article), so a
lookup is one indexed IN query and a document costs about a kilobyte. Every
batch is one transaction, so a killed ingest leaves whole batches only.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from provenance.errors import StoreError
from provenance.index.store.base import (
    EARLIEST,
    LATEST,
    SCHEMA_VERSION,
    AddResult,
    BandKeys,
    Closing,
    Entry,
    Hit,
    IndexStats,
    KeysOf,
    Rekeyed,
    StoredArticle,
    earliest,
    instant,
    kept_date,
    kept_first_seen,
    refuse_invalid,
    unpack_text,
)

M = TypeVar("M", bound=Callable[..., Any])
APPLICATION_ID = 0x50524F56  # "PROV": marks the file as a provenance index
_SCHEMA = """
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
_BUSY_TIMEOUT_MS = 30_000  # a reader waits out a writer's checkpoint instead of failing
_MIN_WRITE_BATCH, _MAX_WRITE_BATCH = 20_000, 50_000  # articles per transaction in a bulk ingest
_PARAMS_PER_QUERY = 500  # well under SQLite's limit on bound parameters
# A compressed body (~2.1 KB) fills a 4 KB page alone, and leaves ~340 bytes of an 8 KB page unused
# per article; 16 KB pages leave ~150 (the file is 5% smaller), for ~0.1 ms more per lookup.
_PAGE_SIZE = 16384
# A writer reads every page of an index up to this size before writing to it (~0.3 s); beyond it, the
# check would cost more than the ingest (8 s at 1M articles, more with a cold disk cache), so it
# relies on SQLite's own checks of each page it reads, cell sizes included.
_THOROUGH_CHECK_BYTES = 256 * 1024 * 1024
_WRITER_CACHE_KIB = 256 * 1024  # band inserts land all over the key space: keep what fits of the B-tree
# No mmap: a read error on a mapped page (a file truncated under us, a failing disk) is a SIGBUS
# that kills the process, where read() gives an error we can report.


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    return _utc(value).timestamp()


def _signed(keys: BandKeys) -> list[int]:
    """SQLite integers are signed; uint32 keys fit either way, as int32 they stay 4 bytes."""
    signed: list[int] = np.asarray(keys, dtype=np.uint32).view(np.int32).tolist()
    return signed


def _reader(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that never writes the index, even where it cannot be written.

    A WAL database read with mode=ro still needs its -shm file, which SQLite creates beside the
    index; in a directory the reader may not write (an index shared read-only), that fails with
    "unable to open database file". Then, if no -wal holds pages (so no writer is at work: one would
    have to write that directory too), the file is read as immutable, which needs nothing beside it.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        wal = Path(f"{path}-wal")
        writing = wal.exists() and wal.stat().st_size > 0
        if os.access(path.parent, os.W_OK) or writing:
            raise StoreError(str(path), f"cannot open the index read-only ({exc})") from None
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout, isolation_level=None)


def _check_file(path: Path, *, thorough: bool) -> None:
    """Refuse a foreign or damaged file without writing to it (`thorough`: read every page)."""
    try:
        conn = _reader(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if app_id != APPLICATION_ID and (tables or app_id != 0):
                raise StoreError(str(path), "not a provenance index (another SQLite database)")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
                raise StoreError(str(path), f"index format {version} is newer than this provenance understands")
            if app_id == APPLICATION_ID and version < SCHEMA_VERSION:
                raise StoreError(str(path), f"index format {version} is from an earlier provenance: {_REBUILD}")
            if thorough and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StoreError(str(path), "the index file is damaged (integrity check failed)")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(path), _reason(exc)) from None


_REBUILD = "build it again from its sources (`provenance index import`, `index add`)"


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "malformed" in text:
        return f"the index file is damaged ({text})"
    if "not a database" in text:
        return f"not a provenance index ({text})"
    return text


def _sqlite_errors(method: M) -> M:
    """SQLite's own errors (a damaged file, a full disk, a lock held too long) as one StoreError."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(self.location, _reason(exc)) from None

    return cast(M, wrapper)


class SqliteStore(Closing):
    @property
    def write_batch(self) -> int:
        """Band keys are random, so a transaction dirties pages all over the bands B-tree: at a million
        articles, 2,000 of them already rewrite most of it, and thirty times as many cost about the
        same. So transactions grow with the index (a sixteenth of it), within memory's reach."""
        row = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").fetchone()
        return min(max((row[0] if row else 0) // 16, _MIN_WRITE_BATCH), _MAX_WRITE_BATCH)

    def __init__(
        self, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False, stamp: str | None = None
    ) -> None:
        """`readonly` (what `check` uses) never writes to the file, so it costs nothing to open a large
        index and cannot spread damage; a writer first checks the whole file (up to a size), since
        writing into a damaged index would make things worse. `stamp` is recorded in a file created here."""
        self.path = Path(path)
        self.location = str(self.path)
        self.stamp: str | None = None
        if self.path.exists():
            if self.path.is_dir():
                raise StoreError(self.location, "is a directory")
            if size := self.path.stat().st_size:
                _check_file(self.path, thorough=not readonly and size <= _THOROUGH_CHECK_BYTES)
            elif not create or readonly:
                raise StoreError(self.location, "empty file, not a provenance index")
        elif not create or readonly:
            raise StoreError(self.location, "no index here (create one with `provenance index add`)")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if readonly:
            try:
                self._conn = _reader(self.path, _BUSY_TIMEOUT_MS / 1000)
                self._conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
                self.stamp = self._read_stamp()
            except sqlite3.Error as exc:
                raise StoreError(self.location, _reason(exc)) from None
            return
        try:
            self._conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            fresh = self._conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
            if fresh and not self._conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
                # before WAL: a WAL database can no longer change its page size
                self._conn.execute(f"PRAGMA page_size={_PAGE_SIZE}")
                self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(f"PRAGMA cache_size=-{_WRITER_CACHE_KIB}")
            self._conn.execute("PRAGMA cell_size_check=ON")  # a damaged page read while writing fails the batch
            if fresh:
                with _Transaction(self._conn):
                    for statement in _SCHEMA.split(";"):
                        self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                    if stamp is not None:
                        self._conn.execute("INSERT INTO meta (name, value) VALUES ('stamp', ?)", (stamp,))
            self.stamp = self._read_stamp()
        except sqlite3.Error as exc:
            raise StoreError(self.location, str(exc)) from None

    def _read_stamp(self) -> str | None:
        """The stamp the file records; None for an index written before stamps (no meta table)."""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return str(row[0]) if row else None

    @_sqlite_errors
    def add(self, entries: Sequence[Entry]) -> AddResult:
        """One transaction per batch, with a handful of statements: the writer is the bottleneck of an ingest."""
        refuse_invalid(self.location, entries)
        conn = self._conn
        with _Transaction(conn):
            by_content, by_url, dates = self._present(entries)
            before = dict(dates)
            row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").fetchone()
            next_id = (row[0] if row else 0) + 1
            new: list[tuple[int, Entry, npt.NDArray[np.uint32]]] = []
            merged = 0
            for entry in entries:
                art = entry.article
                found = by_content.get(entry.content_key) or (by_url.get(art.url) if art.url else None)
                if found is not None:  # the same text or the same page: keep one, with the earliest dates
                    published, first_seen = dates[found]
                    dates[found] = (earliest(published, art.published), min(first_seen, art.first_seen, key=instant))
                    merged += 1
                    continue
                by_content[entry.content_key] = next_id
                if art.url:
                    by_url[art.url] = next_id
                dates[next_id] = (art.published, art.first_seen)
                new.append((next_id, entry, np.unique(np.asarray(entry.band_keys, dtype=np.uint32))))
                next_id += 1
            conn.executemany(
                "INSERT INTO articles (id, url, content_key, title, publisher, byline, published, published_ts,"
                " first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (i, e.article.url, e.content_key, e.article.title, e.article.publisher, e.article.byline,
                     _iso(dates[i][0]), _timestamp(dates[i][0]), _iso(dates[i][1]))
                    for i, e, _ in new
                ],
            )  # fmt: skip
            conn.executemany("INSERT INTO texts (id, text) VALUES (?, ?)", [(i, e.text_bytes()) for i, e, _ in new])
            conn.executemany(
                "UPDATE articles SET published = ?, published_ts = ?, first_seen = ? WHERE id = ?",
                [
                    (_iso(p), _timestamp(p), _iso(f), i)
                    for i, (p, f) in dates.items()
                    if i in before and (p, f) != before[i]
                ],
            )
            if new:
                _insert_bands(conn, "bands", [(i, k) for i, _, k in new])
        return AddResult(len(new), merged)

    def _present(
        self, entries: Sequence[Entry]
    ) -> tuple[dict[int, int], dict[str, int], dict[int, tuple[datetime | None, datetime]]]:
        """Articles already stored under the batch's content keys or URLs, and their dates."""
        by_content: dict[int, int] = {}
        by_url: dict[str, int] = {}
        dates: dict[int, tuple[datetime | None, datetime]] = {}
        columns: dict[str, list[int | str | None]] = {
            "content_key": [e.content_key for e in entries],
            "url": [e.article.url for e in entries],
        }
        for column, values in columns.items():
            wanted = list({v for v in values if v is not None})
            for start in range(0, len(wanted), _PARAMS_PER_QUERY):
                chunk = wanted[start : start + _PARAMS_PER_QUERY]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id, content_key, url, published, first_seen FROM articles WHERE {column} IN ({marks})"
                for article_id, content_key, url, published, first_seen in self._conn.execute(query, chunk):
                    by_content[content_key] = article_id
                    if url:
                        by_url[url] = article_id
                    dates[article_id] = (_when(published), datetime.fromisoformat(first_seen))
        return by_content, by_url, dates

    @_sqlite_errors
    def lookup(self, band_keys: BandKeys, limit: int) -> list[Hit]:
        keys = _signed(np.unique(band_keys))
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT article, COUNT(*) AS shared FROM bands WHERE key IN ({marks})"
            " GROUP BY article ORDER BY shared DESC, article LIMIT ?",
            (*keys, limit),
        ).fetchall()
        return [Hit(row[0], row[1]) for row in rows]

    @_sqlite_errors
    def get(self, keys: Sequence[int]) -> dict[int, StoredArticle]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = {
            row[0]: row[1:]
            for row in self._conn.execute(
                "SELECT a.id, url, title, publisher, byline, published, first_seen, text"
                f" FROM articles AS a JOIN texts AS t ON t.id = a.id WHERE a.id IN ({marks})",
                tuple(keys),
            )
        }
        return {k: _article(rows[k]) for k in keys if k in rows}

    @_sqlite_errors
    def remove(self, urls: Sequence[str], band_keys: KeysOf) -> int:
        removed = 0
        with _Transaction(self._conn):
            for url in urls:
                row = self._conn.execute(
                    "SELECT a.id, url, title, publisher, byline, published, first_seen, text"
                    " FROM articles AS a JOIN texts AS t ON t.id = a.id WHERE url = ?",
                    (url,),
                ).fetchone()
                if row is None:
                    continue
                keys = _signed(np.unique(band_keys(_article(row[1:]))))
                self._conn.executemany("DELETE FROM bands WHERE key = ? AND article = ?", ((k, row[0]) for k in keys))
                self._conn.execute("DELETE FROM articles WHERE id = ?", (row[0],))
                self._conn.execute("DELETE FROM texts WHERE id = ?", (row[0],))
                removed += 1
        return removed

    @_sqlite_errors
    def ids(self) -> list[int]:
        return [row[0] for row in self._conn.execute("SELECT id FROM articles ORDER BY id")]

    @_sqlite_errors
    def rekey(self, batches: Iterable[Sequence[Rekeyed]], stamp: str, *, contents: bool) -> int:
        """New keys go to tables of their own, a transaction per batch; one transaction at the end
        swaps them in with the stamp (see Store.rekey)."""
        conn = self._conn
        with _Transaction(conn):
            for statement in _REKEY_TABLES.split(";"):
                conn.execute(statement)
        for batch in batches:
            with _Transaction(conn):
                self._rekey_batch(batch, contents)
        with _Transaction(conn):
            merged = self._merge_rekeyed()
            if contents:
                # two steps: a new key may be another article's old one, and content keys are unique
                conn.execute("UPDATE articles SET content_key = -id")
                conn.execute(
                    "UPDATE articles SET content_key ="
                    " (SELECT content_key FROM rekey_contents AS r WHERE r.id = articles.id)"
                )
            conn.execute("DROP TABLE bands")
            conn.execute("ALTER TABLE rekey_bands RENAME TO bands")
            conn.execute("DROP TABLE rekey_contents")
            conn.execute("DROP TABLE rekey_merged")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('stamp', ?)", (stamp,))
        self.stamp = stamp
        return merged

    def _rekey_batch(self, batch: Sequence[Rekeyed], contents: bool) -> None:
        conn = self._conn
        keep = list(batch)
        if contents:  # an article whose new content key an earlier one has merges into it
            wanted = list({r.content_key for r in batch})
            earlier: dict[int, int] = {}
            for start in range(0, len(wanted), _PARAMS_PER_QUERY):
                chunk = wanted[start : start + _PARAMS_PER_QUERY]
                query = (
                    f"SELECT content_key, id FROM rekey_contents WHERE content_key IN ({','.join('?' * len(chunk))})"
                )
                earlier.update(conn.execute(query, chunk).fetchall())
            keep = []
            for rekeyed in batch:
                into = earlier.setdefault(rekeyed.content_key, rekeyed.key)
                if into == rekeyed.key:
                    keep.append(rekeyed)
                else:
                    conn.execute("INSERT INTO rekey_merged (id, into_id) VALUES (?, ?)", (rekeyed.key, into))
            conn.executemany(
                "INSERT INTO rekey_contents (id, content_key) VALUES (?, ?)", [(r.key, r.content_key) for r in keep]
            )
        if keep:
            _insert_bands(
                conn, "rekey_bands", [(r.key, np.unique(np.asarray(r.band_keys, dtype=np.uint32))) for r in keep]
            )

    def _merge_rekeyed(self) -> int:
        """Each article that merges into an earlier one: the earliest dates kept, then it goes."""
        conn = self._conn
        merged = conn.execute("SELECT id, into_id FROM rekey_merged ORDER BY id").fetchall()
        for gone, into in merged:
            dates = conn.execute(
                "SELECT id, published, first_seen FROM articles WHERE id IN (?, ?)", (gone, into)
            ).fetchall()
            found = {row[0]: (_when(row[1]), datetime.fromisoformat(row[2])) for row in dates}
            if into in found and gone in found:
                (published, first_seen), (other, seen) = found[into], found[gone]
                published, first_seen = earliest(published, other), min(first_seen, seen, key=instant)
                conn.execute(
                    "UPDATE articles SET published = ?, published_ts = ?, first_seen = ? WHERE id = ?",
                    (_iso(published), _timestamp(published), _iso(first_seen), into),
                )
            conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
            conn.execute("DELETE FROM texts WHERE id = ?", (gone,))
        return len(merged)

    def export(self) -> Iterator[StoredArticle]:
        try:
            cursor = self._conn.execute(
                "SELECT url, title, publisher, byline, published, first_seen, text"
                " FROM articles AS a JOIN texts AS t ON t.id = a.id ORDER BY a.id"
            )
            for row in cursor:
                yield _article(row)
        except sqlite3.Error as exc:
            raise StoreError(self.location, _reason(exc)) from None

    @_sqlite_errors
    def stats(self) -> IndexStats:
        q = self._conn.execute
        # dates outside the range a store keeps (an index written before they were checked) are left out
        kept = "CASE WHEN published_ts >= ? AND published_ts < ? THEN published_ts END"
        articles, oldest, newest = q(
            f"SELECT COUNT(*), MIN({kept}), MAX({kept}) FROM articles", (*_RANGE, *_RANGE)
        ).fetchone()
        bands = q("SELECT COUNT(*) FROM bands").fetchone()[0]
        page_size = q("PRAGMA page_size").fetchone()[0]
        pages = q("PRAGMA page_count").fetchone()[0] - q("PRAGMA freelist_count").fetchone()[0]
        text_bytes = q("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM texts").fetchone()[0]
        try:  # the pages the texts table takes, overflow and slack included, where SQLite has dbstat
            text_pages = q("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = 'texts'").fetchone()[0]
        except sqlite3.OperationalError:
            text_pages = text_bytes
        return IndexStats(
            self.location,
            articles,
            bands,
            page_size * pages,
            text_bytes,
            _from_timestamp(oldest),
            _from_timestamp(newest),
            overhead_bytes=page_size * pages - text_pages,
        )

    def close(self) -> None:
        self._conn.close()


_RANGE = (EARLIEST.timestamp(), LATEST.timestamp())


def _from_timestamp(value: float | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):  # a date past year 9999, stored before dates were checked
        return datetime.max.replace(tzinfo=UTC) if value > 0 else datetime.min.replace(tzinfo=UTC)


def _article(row: Sequence[object]) -> StoredArticle:
    url, title, publisher, byline, published, first_seen, text = row
    assert isinstance(text, bytes)
    return StoredArticle(
        url=url if isinstance(url, str) else None,
        title=title if isinstance(title, str) else None,
        publisher=publisher if isinstance(publisher, str) else None,
        byline=byline if isinstance(byline, str) else None,
        published=kept_date(_when(published)) if isinstance(published, str) else None,
        first_seen=kept_first_seen(datetime.fromisoformat(str(first_seen))),
        paragraphs=unpack_text(text),
    )


def _insert_bands(conn: sqlite3.Connection, table: str, keys: Sequence[tuple[int, BandKeys]]) -> None:
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


# `rekey` writes the new keys here first (left over by a crash, they are made afresh)
_REKEY_TABLES = """
DROP TABLE IF EXISTS rekey_bands;
DROP TABLE IF EXISTS rekey_contents;
DROP TABLE IF EXISTS rekey_merged;
CREATE TABLE rekey_bands (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE rekey_contents (id INTEGER PRIMARY KEY, content_key INTEGER NOT NULL UNIQUE);
CREATE TABLE rekey_merged (id INTEGER PRIMARY KEY, into_id INTEGER NOT NULL);
"""


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: a batch is all or nothing."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
