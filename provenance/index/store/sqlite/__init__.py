"""The embedded index: one SQLite file in WAL mode, nothing to start.

Every batch is one transaction, so a killed ingest leaves whole batches only. The file's tables and
rows are in `schema.py`, opening and checking it in `connection.py`, a rebuild's new keys in
`rekeying.py`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

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
    refuse_invalid,
)
from provenance.index.store.sqlite import rekeying
from provenance.index.store.sqlite.connection import Transaction, check_file, reader, reason, sqlite_errors
from provenance.index.store.sqlite.schema import (
    APPLICATION_ID,
    PARAMS_PER_QUERY,
    SCHEMA,
    from_timestamp,
    insert_bands,
    iso,
    signed_keys,
    stored_article,
    timestamp,
    when,
)

_BUSY_TIMEOUT_MS = 30_000  # a reader waits out a writer's checkpoint instead of failing
_MIN_WRITE_BATCH, _MAX_WRITE_BATCH = 20_000, 50_000  # articles per transaction in a bulk ingest
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
_RANGE = (EARLIEST.timestamp(), LATEST.timestamp())


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
                check_file(self.path, thorough=not readonly and size <= _THOROUGH_CHECK_BYTES)
            elif not create or readonly:
                raise StoreError(self.location, "empty file, not a provenance index")
        elif not create or readonly:
            raise StoreError(self.location, "no index here (create one with `provenance index add`)")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if readonly:
            try:
                self._conn = reader(self.path, _BUSY_TIMEOUT_MS / 1000)
                self._conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
                self.stamp = self._read_stamp()
            except sqlite3.Error as exc:
                raise StoreError(self.location, reason(exc)) from None
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
                with Transaction(self._conn):
                    for statement in SCHEMA.split(";"):
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

    @sqlite_errors
    def add(self, entries: Sequence[Entry]) -> AddResult:
        """One transaction per batch, with a handful of statements: the writer is the bottleneck of an ingest."""
        refuse_invalid(self.location, entries)
        conn = self._conn
        with Transaction(conn):
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
                     iso(dates[i][0]), timestamp(dates[i][0]), iso(dates[i][1]))
                    for i, e, _ in new
                ],
            )  # fmt: skip
            conn.executemany("INSERT INTO texts (id, text) VALUES (?, ?)", [(i, e.text_bytes()) for i, e, _ in new])
            conn.executemany(
                "UPDATE articles SET published = ?, published_ts = ?, first_seen = ? WHERE id = ?",
                [
                    (iso(p), timestamp(p), iso(f), i)
                    for i, (p, f) in dates.items()
                    if i in before and (p, f) != before[i]
                ],
            )
            if new:
                insert_bands(conn, "bands", [(i, k) for i, _, k in new])
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
            for start in range(0, len(wanted), PARAMS_PER_QUERY):
                chunk = wanted[start : start + PARAMS_PER_QUERY]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id, content_key, url, published, first_seen FROM articles WHERE {column} IN ({marks})"
                for article_id, content_key, url, published, first_seen in self._conn.execute(query, chunk):
                    by_content[content_key] = article_id
                    if url:
                        by_url[url] = article_id
                    dates[article_id] = (when(published), datetime.fromisoformat(first_seen))
        return by_content, by_url, dates

    @sqlite_errors
    def lookup(self, band_keys: BandKeys, limit: int) -> list[Hit]:
        keys = signed_keys(np.unique(band_keys))
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT article, COUNT(*) AS shared FROM bands WHERE key IN ({marks})"
            " GROUP BY article ORDER BY shared DESC, article LIMIT ?",
            (*keys, limit),
        ).fetchall()
        return [Hit(row[0], row[1]) for row in rows]

    @sqlite_errors
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
        return {k: stored_article(rows[k]) for k in keys if k in rows}

    @sqlite_errors
    def remove(self, urls: Sequence[str], band_keys: KeysOf) -> int:
        removed = 0
        with Transaction(self._conn):
            for url in urls:
                row = self._conn.execute(
                    "SELECT a.id, url, title, publisher, byline, published, first_seen, text"
                    " FROM articles AS a JOIN texts AS t ON t.id = a.id WHERE url = ?",
                    (url,),
                ).fetchone()
                if row is None:
                    continue
                keys = signed_keys(np.unique(band_keys(stored_article(row[1:]))))
                self._conn.executemany("DELETE FROM bands WHERE key = ? AND article = ?", ((k, row[0]) for k in keys))
                self._conn.execute("DELETE FROM articles WHERE id = ?", (row[0],))
                self._conn.execute("DELETE FROM texts WHERE id = ?", (row[0],))
                removed += 1
        return removed

    @sqlite_errors
    def ids(self) -> list[int]:
        return [row[0] for row in self._conn.execute("SELECT id FROM articles ORDER BY id")]

    @sqlite_errors
    def rekey(self, batches: Iterable[Sequence[Rekeyed]], stamp: str, *, contents: bool) -> int:
        """New keys go to tables of their own, a transaction per batch; one transaction at the end
        swaps them in with the stamp (see Store.rekey)."""
        merged = rekeying.rekey(self._conn, batches, stamp, contents=contents)
        self.stamp = stamp
        return merged

    def export(self) -> Iterator[StoredArticle]:
        try:
            cursor = self._conn.execute(
                "SELECT url, title, publisher, byline, published, first_seen, text"
                " FROM articles AS a JOIN texts AS t ON t.id = a.id ORDER BY a.id"
            )
            for row in cursor:
                yield stored_article(row)
        except sqlite3.Error as exc:
            raise StoreError(self.location, reason(exc)) from None

    @sqlite_errors
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
            from_timestamp(oldest),
            from_timestamp(newest),
            overhead_bytes=page_size * pages - text_pages,
        )

    def close(self) -> None:
        self._conn.close()
