"""Opening the index file and talking to it: a reader that never writes, the checks before a writer
touches a file, SQLite's errors as one StoreError, and a transaction per batch."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from provenance.errors import StoreError
from provenance.index.store.base import SCHEMA_VERSION
from provenance.index.store.sqlite.schema import APPLICATION_ID

if TYPE_CHECKING:
    from provenance.index.store.sqlite import SqliteStore

M = TypeVar("M", bound=Callable[..., Any])
_REBUILD = "build it again from its sources (`provenance index import`, `index add`)"


def reader(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
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


def check_file(path: Path, *, thorough: bool) -> None:
    """Refuse a foreign or damaged file without writing to it (`thorough`: read every page)."""
    try:
        conn = reader(path)
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
        raise StoreError(str(path), reason(exc)) from None


def reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "malformed" in text:
        return f"the index file is damaged ({text})"
    if "not a database" in text:
        return f"not a provenance index ({text})"
    return text


def sqlite_errors(method: M) -> M:
    """SQLite's own errors (a damaged file, a full disk, a lock held too long) as one StoreError."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(self.location, reason(exc)) from None

    return cast(M, wrapper)


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: a batch is all or nothing."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
