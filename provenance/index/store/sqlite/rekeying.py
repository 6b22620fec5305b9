"""A rebuild's new keys (`Store.rekey`): written to tables of their own, a transaction per batch, then
swapped in with the stamp in one transaction, so a crash leaves the index as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np

from provenance.index.store.base import Rekeyed, earliest, instant
from provenance.index.store.sqlite.connection import Transaction
from provenance.index.store.sqlite.schema import PARAMS_PER_QUERY, insert_bands, iso, timestamp, when

# `rekey` writes the new keys here first (left over by a crash, they are made afresh)
_REKEY_TABLES = """
DROP TABLE IF EXISTS rekey_bands;
DROP TABLE IF EXISTS rekey_contents;
DROP TABLE IF EXISTS rekey_merged;
CREATE TABLE rekey_bands (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE rekey_contents (id INTEGER PRIMARY KEY, content_key INTEGER NOT NULL UNIQUE);
CREATE TABLE rekey_merged (id INTEGER PRIMARY KEY, into_id INTEGER NOT NULL);
"""


def rekey(conn: sqlite3.Connection, batches: Iterable[Sequence[Rekeyed]], stamp: str, *, contents: bool) -> int:
    """The new keys of every batch, then the swap; how many articles merged into earlier ones."""
    with Transaction(conn):
        for statement in _REKEY_TABLES.split(";"):
            conn.execute(statement)
    for batch in batches:
        with Transaction(conn):
            _rekey_batch(conn, batch, contents)
    with Transaction(conn):
        merged = _merge_rekeyed(conn)
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
    return merged


def _rekey_batch(conn: sqlite3.Connection, batch: Sequence[Rekeyed], contents: bool) -> None:
    keep = list(batch)
    if contents:  # an article whose new content key an earlier one has merges into it
        wanted = list({r.content_key for r in batch})
        earlier: dict[int, int] = {}
        for start in range(0, len(wanted), PARAMS_PER_QUERY):
            chunk = wanted[start : start + PARAMS_PER_QUERY]
            query = f"SELECT content_key, id FROM rekey_contents WHERE content_key IN ({','.join('?' * len(chunk))})"
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
        insert_bands(conn, "rekey_bands", [(r.key, np.unique(np.asarray(r.band_keys, dtype=np.uint32))) for r in keep])


def _merge_rekeyed(conn: sqlite3.Connection) -> int:
    """Each article that merges into an earlier one: the earliest dates kept, then it goes."""
    merged = conn.execute("SELECT id, into_id FROM rekey_merged ORDER BY id").fetchall()
    for gone, into in merged:
        dates = conn.execute(
            "SELECT id, published, first_seen FROM articles WHERE id IN (?, ?)", (gone, into)
        ).fetchall()
        found = {row[0]: (when(row[1]), datetime.fromisoformat(row[2])) for row in dates}
        if into in found and gone in found:
            (published, first_seen), (other, seen) = found[into], found[gone]
            published, first_seen = earliest(published, other), min(first_seen, seen, key=instant)
            conn.execute(
                "UPDATE articles SET published = ?, published_ts = ?, first_seen = ? WHERE id = ?",
                (iso(published), timestamp(published), iso(first_seen), into),
            )
        conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
        conn.execute("DELETE FROM texts WHERE id = ?", (gone,))
    return len(merged)
