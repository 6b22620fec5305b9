"""The index survives what happens to real ones: kill -9 mid-ingest, a reader beside a writer, a damaged file.

The ingest and the reader run in other processes: this module run from the repository root
(`python -m tests.test_store_reliability ingest|read LOCATION ...`) is the worker.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from provenance.errors import StoreError
from provenance.index.store.base import Entry, Store, StoredArticle
from provenance.index.store.redis import RedisStore
from provenance.index.store.sqlite import SqliteStore
from tests.support.redis_server import RedisServer, running_redis

BATCHES = 16
BATCH = 100
KEYS = 40
T0 = datetime(2024, 5, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
WORKER = (sys.executable, "-m", "tests.test_store_reliability")  # run with cwd=ROOT


def open_index(location: str) -> Store:
    return RedisStore(location) if location.startswith("redis://") else SqliteStore(location)


def make_batch(b: int) -> list[Entry]:
    """Batch `b` of the ingest, the same in every process: article n has content key n + 1."""
    out = []
    for j in range(BATCH):
        n = b * BATCH + j
        rng = np.random.default_rng(n)
        text = " ".join(f"w{w}" for w in rng.integers(0, 5000, 300))
        art = StoredArticle(
            f"https://r.example/{b}/{j}", f"title {n}", "Pub", None, T0 + timedelta(hours=n), T0, (text,)
        )
        out.append(Entry(art, n + 1, rng.integers(0, 2**32, KEYS, dtype=np.uint32)))
    return out


def band_count(b: int) -> int:
    return sum(len(np.unique(e.band_keys)) for e in make_batch(b))


# The worker side.


def ingest(location: str) -> None:
    store = open_index(location)
    print("ready", flush=True)
    for b in range(BATCHES):
        store.add(make_batch(b))
        print("committed", b, flush=True)
    store.close()


def crash_inside_batch(location: str, batch: int) -> None:
    """Ingest, then SIGKILL this process halfway through writing `batch`: SQLite mid-transaction,
    Redis with half of the batch's script call sent."""
    store = open_index(location)
    for b in range(batch):
        store.add(make_batch(b))

    def suicide() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    if isinstance(store, SqliteStore):
        store._conn = _DyingConnection(store._conn, then=suicide)  # type: ignore[assignment]
    else:
        import redis.connection

        def send_half(self: Any, command: Any, check_health: bool = True) -> None:
            data = b"".join([command] if isinstance(command, bytes) else command)
            self._sock.sendall(data[: len(data) // 2])
            suicide()

        redis.connection.AbstractConnection.send_packed_command = send_half  # type: ignore[method-assign]
    store.add(make_batch(batch))


class _DyingConnection:
    """A sqlite3 connection that kills the process when it is about to write the batch's band keys:
    the articles and their texts are written by then, the transaction not yet committed."""

    def __init__(self, conn: sqlite3.Connection, then: Callable[[], None]) -> None:
        self.conn, self.then = conn, then

    def _watch(self, sql: str) -> None:
        if "INTO bands" in sql:
            self.then()

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._watch(sql)
        return self.conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._watch(sql)
        return self.conn.executemany(sql, *args)


def read(location: str, stop_file: str) -> None:
    """Lookups and gets until `stop_file` appears; prints what it did and every failure, as JSON."""
    store = open_index(location)
    print("ready", flush=True)
    rng = random.Random(1)
    lookups, hits, errors = 0, 0, []
    while not os.path.exists(stop_file) or lookups < 10:
        b, j = rng.randrange(BATCHES), rng.randrange(BATCH)
        query = make_batch(b)[j].band_keys
        try:
            found = store.lookup(query, 5)
            got = store.get([h.key for h in found])
            articles = store.stats().articles
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        lookups += 1
        if articles % BATCH:
            errors.append(f"saw {articles} articles: part of a batch")
        if set(got) != {h.key for h in found}:
            errors.append(f"lookup found {found} but get returned {sorted(got)}")
        if found and found[0].shared_bands == KEYS:
            hits += 1
            if got[found[0].key].url != f"https://r.example/{b}/{j}":
                errors.append(f"the best hit for {b}/{j} is {got[found[0].key].url}")
    store.close()
    print(json.dumps({"lookups": lookups, "hits": hits, "errors": errors[:20]}))


# The test side.


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "index.sqlite")
    server: RedisServer = request.getfixturevalue("redis_server")
    server.flush()
    return server.url()


def spawn(*args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([*WORKER, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line != "ready\n":
        _, err = proc.communicate()
        pytest.fail(f"worker {args} did not start: {line}{err}")
    return proc


def check_whole_batches(location: str) -> int:
    """The index opens, is sound, and holds batches 0..k-1 complete; returns k."""
    if not location.startswith("redis://"):
        with sqlite3.connect(location) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
    store = open_index(location)
    try:
        per_batch = Counter(int(a.url.split("/")[3]) for a in store.export() if a.url)
        stats = store.stats()
    finally:
        store.close()
    complete = len(per_batch)
    assert sorted(per_batch) == list(range(complete)), "batches are committed in order"
    assert set(per_batch.values()) <= {BATCH}, f"a batch is partly there: {per_batch}"
    assert stats.articles == complete * BATCH
    assert stats.band_entries == sum(band_count(b) for b in range(complete))
    return complete


def test_an_ingest_killed_at_random_points_leaves_whole_batches_and_a_rerun_finishes(location: str) -> None:
    rng = random.Random(location.split(":")[0])
    for _ in range(3):
        proc = spawn("ingest", location)
        assert proc.stdout is not None
        # After a random committed batch, kill within about one batch's time: mostly mid-transaction.
        target, started = rng.randrange(BATCHES - 1), time.monotonic()
        while proc.stdout.readline() not in ("", f"committed {target}\n"):
            pass
        batch_time = (time.monotonic() - started) / (target + 1)
        time.sleep(rng.uniform(0, batch_time))
        proc.kill()
        proc.communicate()
        assert proc.returncode == -9, "the ingest had finished before the kill"
        assert check_whole_batches(location) > target
    finisher = subprocess.run([*WORKER, "ingest", location], cwd=ROOT, capture_output=True, text=True)
    assert finisher.returncode == 0, finisher.stderr
    assert check_whole_batches(location) == BATCHES


def test_a_crash_inside_a_batch_leaves_the_batches_before_it(location: str) -> None:
    crashed = subprocess.run([*WORKER, "crash", location, "3"], cwd=ROOT, capture_output=True, text=True)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert check_whole_batches(location) == 3


def test_a_reader_beside_a_writer_never_fails(location: str, tmp_path: Path) -> None:
    open_index(location).close()  # created before either starts, as `index add` then `check` would
    stop = tmp_path / "stop"
    reader = spawn("read", location, str(stop))
    writer = subprocess.run([*WORKER, "ingest", location], cwd=ROOT, capture_output=True, text=True)
    stop.touch()
    out, err = reader.communicate(timeout=60)
    assert writer.returncode == 0, writer.stderr
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["errors"] == []
    assert report["lookups"] >= 10 and report["hits"] > 0


def _index_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "whole.sqlite"
    store = SqliteStore(path)
    for b in range(3):
        store.add(make_batch(b))
    store.close()
    return path.read_bytes()


def _other_application(tmp_path: Path) -> bytes:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO notes (body) VALUES (?)", [("note",)] * 100)
    conn.close()
    return path.read_bytes()


def _garbled_middle(tmp_path: Path) -> bytes:
    data = bytearray(_index_bytes(tmp_path))
    middle = len(data) // 2
    data[middle : middle + 8192] = random.Random(3).randbytes(8192)
    return bytes(data)


def _random_bytes(tmp_path: Path) -> bytes:
    return random.Random(1).randbytes(16384)


def _truncated(tmp_path: Path) -> bytes:
    data = _index_bytes(tmp_path)
    return data[: len(data) // 2]


def _header_only(tmp_path: Path) -> bytes:
    return _index_bytes(tmp_path)[:100]


def _text_file(tmp_path: Path) -> bytes:
    return b"date,headline\n2024-01-01,hello\n" * 200


DAMAGE: dict[str, Callable[[Path], bytes]] = {
    "random bytes": _random_bytes,
    "truncated index": _truncated,
    "index header only": _header_only,
    "garbled index pages": _garbled_middle,
    "another application's database": _other_application,
    "a text file": _text_file,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_or_foreign_file_is_refused_and_left_as_it_was(damage: str, tmp_path: Path) -> None:
    content = DAMAGE[damage](tmp_path)
    path = tmp_path / "given.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as refused:
        SqliteStore(path)
    assert refused.value.location == str(path)
    assert path.read_bytes() == content


if __name__ == "__main__":
    if sys.argv[1] == "ingest":
        ingest(sys.argv[2])
    elif sys.argv[1] == "crash":
        crash_inside_batch(sys.argv[2], int(sys.argv[3]))
    else:
        read(sys.argv[2], sys.argv[3])
