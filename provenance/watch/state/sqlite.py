"""Watch state in a SQLite file (WAL mode), by default beside the index: `index.sqlite` keeps its
state in `index.watch.sqlite`. Each page's record is one transaction."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from provenance.errors import StateError
from provenance.model import Article
from provenance.watch.model import Copy, Filters, Finding, Status
from provenance.watch.state.base import (
    ItemRecord,
    Listing,
    SourceRecord,
    article_json,
    article_of,
    copy_json,
    copy_of,
    is_pending,
    is_recent,
    item_json,
    item_of,
    keeps,
    retried,
    when_of,
    when_text,
)

M = TypeVar("M", bound=Callable[..., Any])
APPLICATION_ID = 0x50525657  # "PRVW": marks the file as provenance watch state
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY, role TEXT NOT NULL, etag TEXT, last_modified TEXT, last_read TEXT,
    status TEXT NOT NULL, error TEXT NOT NULL, failures INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS listings (  -- what each source listed when last read
    source TEXT NOT NULL, url TEXT NOT NULL, published TEXT, position INTEGER NOT NULL,
    PRIMARY KEY (source, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (url TEXT PRIMARY KEY, record TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the number users name: never reused
    page_url TEXT NOT NULL,
    original_url TEXT NOT NULL,
    copy TEXT NOT NULL,  -- state.base.copy_json
    page TEXT NOT NULL,  -- state.base.article_json: the page as extracted
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    reported INTEGER NOT NULL,  -- shown by a pass
    notified INTEGER NOT NULL,  -- taken by the webhook
    UNIQUE (page_url, original_url)
);
CREATE INDEX IF NOT EXISTS findings_page ON findings (page_url);
"""
_COLUMNS = "id, copy, first_seen, last_seen, status, note"


def _errors(method: M) -> M:
    """SQLite's own errors (a damaged file, a full disk, a lock held too long) as one StateError."""

    @functools.wraps(method)
    def wrapper(self: SqliteState, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StateError(self.location, str(exc)) from None

    return cast(M, wrapper)


class SqliteState:
    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.is_dir():
            raise StateError(self.location, "is a directory")
        if not self.path.exists():
            if not create:
                raise StateError(self.location, "no watch state here yet (run `provenance watch` first)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._open()
        except sqlite3.Error as exc:
            raise StateError(self.location, str(exc)) from None

    def _open(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        if app_id != APPLICATION_ID and (tables or app_id != 0):
            conn.close()
            raise StateError(self.location, "not provenance watch state (another SQLite database)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
            conn.close()
            raise StateError(self.location, f"state format {version} is newer than this provenance understands")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash of the process loses nothing committed
        if app_id != APPLICATION_ID:
            conn.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA application_id={APPLICATION_ID};"
                f" PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
            )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @_errors
    def source(self, url: str) -> SourceRecord | None:
        row = self._conn.execute(
            "SELECT url, role, etag, last_modified, last_read, status, error, failures FROM sources WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return SourceRecord(row[0], row[1], row[2], row[3], when_of(row[4]), row[5], row[6], row[7])

    @_errors
    def update_source(self, record: SourceRecord, listing: Sequence[Listing] | None, when: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.url,
                    record.role,
                    record.etag,
                    record.last_modified,
                    when_text(record.last_read) if record.last_read else None,
                    record.status,
                    record.error,
                    record.failures,
                ),
            )
            if listing is not None:
                conn.execute("DELETE FROM listings WHERE source = ?", (record.url,))
                rows = ((record.url, u, when_text(d) if d else None, n) for n, (u, d) in enumerate(listing))
                conn.executemany("INSERT OR IGNORE INTO listings VALUES (?, ?, ?, ?)", rows)
            if record.status in ("read", "unchanged"):
                conn.execute(
                    "UPDATE findings SET last_seen = ? WHERE page_url IN (SELECT url FROM listings WHERE source = ?)",
                    (when_text(when), record.url),
                )

    @_errors
    def listing(self, source: str) -> list[Listing]:
        rows = self._conn.execute("SELECT url, published FROM listings WHERE source = ? ORDER BY position", (source,))
        return [(url, when_of(published)) for url, published in rows]

    @_errors
    def pending(self, urls: Sequence[str]) -> list[str]:
        found: dict[str, ItemRecord] = {}
        unique = list(dict.fromkeys(urls))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for url, record in self._conn.execute(f"SELECT url, record FROM items WHERE url IN ({marks})", chunk):
                found[url] = item_of(record)
        return [u for u in unique if is_pending(found.get(u))]

    @_errors
    def record(self, item: ItemRecord, copies: Sequence[tuple[Copy, Article]], when: datetime) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT record FROM items WHERE url = ?", (item.url,)).fetchone()
            item = retried(item, item_of(row[0]) if row else None)
            conn.execute("INSERT OR REPLACE INTO items VALUES (?, ?, ?)", (item.url, item_json(item), item.outcome))
            stamp = when_text(when)
            for copy, page in copies:
                conn.execute(
                    "INSERT INTO findings (page_url, original_url, copy, page, first_seen, last_seen, status, note,"
                    " reported, notified) VALUES (?, ?, ?, ?, ?, ?, 'new', '', 0, 0)"
                    " ON CONFLICT (page_url, original_url) DO UPDATE SET last_seen = excluded.last_seen",
                    (copy.page_url, copy.original_url, copy_json(copy), article_json(page), stamp, stamp),
                )

    @_errors
    def ours(self, since: datetime | None) -> list[ItemRecord]:
        rows = self._conn.execute("SELECT record FROM items WHERE outcome = 'indexed' ORDER BY rowid")
        return [item for item in (item_of(r[0]) for r in rows) if is_recent(item, since)]

    def _finding(self, row: tuple[Any, ...]) -> Finding:
        first, last = when_of(row[2]), when_of(row[3])
        assert first is not None and last is not None
        return Finding(row[0], copy_of(row[1]), first, last, Status(row[4]), row[5])

    @_errors
    def findings(self, filters: Filters | None = None) -> list[Finding]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM findings ORDER BY id")
        return [f for f in map(self._finding, rows) if keeps(filters, f)]

    @_errors
    def get(self, finding_id: int) -> Finding | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM findings WHERE id = ?", (finding_id,)).fetchone()
        return self._finding(row) if row else None

    @_errors
    def page(self, finding_id: int) -> Article | None:
        row = self._conn.execute("SELECT page FROM findings WHERE id = ?", (finding_id,)).fetchone()
        return article_of(row[0]) if row else None

    @_errors
    def set_status(self, ids: Sequence[int], status: Status, note: str | None) -> list[int]:
        done = []
        with self._write() as conn:
            for finding_id in ids:
                if note is None:
                    cursor = conn.execute("UPDATE findings SET status = ? WHERE id = ?", (status.value, finding_id))
                else:
                    cursor = conn.execute(
                        "UPDATE findings SET status = ?, note = ? WHERE id = ?", (status.value, note, finding_id)
                    )
                if cursor.rowcount:
                    done.append(finding_id)
        return done

    def _flagged(self, column: str) -> list[Finding]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM findings WHERE {column} = 0 ORDER BY id")
        return [self._finding(row) for row in rows]

    def _flag(self, column: str, ids: Sequence[int]) -> None:
        with self._write() as conn:
            conn.executemany(f"UPDATE findings SET {column} = 1 WHERE id = ?", ((i,) for i in ids))

    @_errors
    def unreported(self) -> list[Finding]:
        return self._flagged("reported")

    @_errors
    def mark_reported(self, ids: Sequence[int]) -> None:
        self._flag("reported", ids)

    @_errors
    def unnotified(self) -> list[Finding]:
        return self._flagged("notified")

    @_errors
    def mark_notified(self, ids: Sequence[int]) -> None:
        self._flag("notified", ids)

    @_errors
    def last_pass(self) -> datetime | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'last_pass'").fetchone()
        return when_of(row[0]) if row else None

    @_errors
    def pass_done(self, finished: datetime) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_pass', ?)", (when_text(finished),))

    def close(self) -> None:
        self._conn.close()
