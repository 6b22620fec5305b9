"""The Redis store against the SQLite one: ingest rate, lookup latency, memory per article.

Indexes synthetic news articles (benchmarks/generate.py) with their real band
keys, then times lookups of near-duplicates (5% word edits), partial copies
(half the paragraphs) and unrelated articles, each followed by a `get` of the
hits, as `provenance.index.find` does. Starts its own `redis-server` on a free
loopback port unless `--url` names one (whose database it flushes). Run from
the project root:

    python benchmarks/bench_redis_store.py [--articles N] [--queries N]

Timings are printed, never asserted; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import redis

from provenance.fingerprint.keys import LshParams, content_keys, passage_band_keys
from provenance.index.store.base import Entry, Store, StoredArticle
from provenance.index.store.redis import RedisStore
from provenance.index.store.sqlite import SqliteStore

try:
    from benchmarks.generate import generate_articles, near_duplicate, partial_copy
    from tests.support.redis_server import running_redis, stop
except ModuleNotFoundError:  # run as a script: only benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.generate import generate_articles, near_duplicate, partial_copy
    from tests.support.redis_server import running_redis, stop

LSH = LshParams()
BATCH = 2000
LIMIT = 20


def server_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def entries(docs: Sequence[list[str]], first: int) -> list[Entry]:
    keys = passage_band_keys(docs, LSH)
    cks = content_keys(docs)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Entry(
            StoredArticle(
                url=f"https://news.example/{first + i}",
                title=doc[0][:60],
                publisher="Example News",
                byline="By A. Writer",
                published=start + timedelta(minutes=first + i),
                first_seen=start + timedelta(minutes=first + i, hours=1),
                paragraphs=tuple(doc),
            ),
            int(ck),
            k,
        )
        for i, (doc, k, ck) in enumerate(zip(docs, keys, cks, strict=True))
    ]


def ingest(store: Store, batches: Sequence[list[Entry]]) -> tuple[float, list[float]]:
    per_batch = []
    for batch in batches:
        t = time.perf_counter()
        store.add(batch)
        per_batch.append(time.perf_counter() - t)
    return sum(len(b) for b in batches) / sum(per_batch), per_batch


def queries(docs: Sequence[list[str]], n: int, seed: int) -> dict[str, list[np.ndarray]]:
    rng = random.Random(seed)
    picked = [docs[rng.randrange(len(docs))] for _ in range(n)]
    fresh = generate_articles(n, seed=seed + 1)
    texts = {
        "near-duplicate": [near_duplicate(d, 0.05, rng) for d in picked],
        "partial copy": [partial_copy(d, max(1, len(d) // 2), rng) for d in picked],
        "unrelated": fresh,
    }
    return {name: passage_band_keys(t, LSH) for name, t in texts.items()}


def percentiles(times: Sequence[float]) -> str:
    ms = sorted(t * 1000 for t in times)

    def at(q: float) -> float:
        return ms[min(len(ms) - 1, int(q * len(ms)))]

    return f"p50 {statistics.median(ms):.2f} ms  p95 {at(0.95):.2f}  p99 {at(0.99):.2f}"


def time_lookups(store: Store, sets: dict[str, list[np.ndarray]]) -> None:
    for name, keysets in sets.items():
        lookup_t, find_t, hits = [], [], 0
        for keys in keysets:
            t0 = time.perf_counter()
            found = store.lookup(keys, LIMIT)
            t1 = time.perf_counter()
            store.get([h.key for h in found])
            t2 = time.perf_counter()
            lookup_t.append(t1 - t0)
            find_t.append(t2 - t0)
            hits += bool(found)
        print(f"    {name:15s} lookup {percentiles(lookup_t)} | lookup+get {percentiles(find_t)} | with hits {hits}")


_FAMILIES = {
    "a": "article records",
    "b": "band key map",
    "u": "url map",
    "c": "content key map",
    "pub": "published index",
    "meta": "meta",
}


def redis_memory(store: RedisStore) -> dict[str, int]:
    """Bytes per key family, from MEMORY USAGE over every key under the prefix."""
    db = store._db
    sizes: dict[str, int] = {}
    keys = list(db.scan_iter(match=store.prefix + "*", count=5000))
    for i in range(0, len(keys), 5000):
        chunk = keys[i : i + 5000]
        with db.pipeline(transaction=False) as pipe:
            for key in chunk:
                pipe.memory_usage(key, samples=0)
            usage = pipe.execute()
        for key, size in zip(chunk, usage, strict=True):
            name = key.decode().removeprefix(store.prefix)
            family = _FAMILIES.get(name.split(":")[0], name)
            if name[:4] in ("b:x:", "u:x:", "c:x:"):
                family += " (long id lists)"
            sizes[family] = sizes.get(family, 0) + int(size or 0)
    return sizes


def datasketch_baseline(url: str, docs: Sequence[list[str]], n_queries: int) -> None:
    """datasketch's MinHashLSH with Redis storage on the same articles: the option the issue asked to measure."""
    from datasketch import MinHashLSH

    from provenance.fingerprint.minhash import to_datasketch
    from provenance.fingerprint.signatures import fingerprint_batch
    from provenance.model import ShingleParams

    params = ShingleParams()
    host, port = url.removeprefix("redis://").split("/")[0].split(":")
    lsh = MinHashLSH(
        threshold=0.5,
        num_perm=params.num_perm,
        storage_config={"type": "redis", "basename": b"dsbench", "redis": {"host": host, "port": int(port)}},
    )
    signatures = [to_datasketch(f.signature, params) for f in fingerprint_batch(docs, params)]
    start = time.perf_counter()
    with lsh.insertion_session() as session:
        for i, sig in enumerate(signatures):
            session.insert(f"doc{i}", sig)
    rate = len(signatures) / (time.perf_counter() - start)
    times = []
    for sig in signatures[: min(n_queries, len(signatures))]:
        t = time.perf_counter()
        lsh.query(sig)
        times.append(time.perf_counter() - t)
    print(f"datasketch MinHashLSH on redis, {len(signatures)} articles (whole-document signatures only)")
    print(f"  insert {rate:.0f} articles/s | query {percentiles(times)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", help="an existing Redis database to use (it is flushed)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite comparison")
    parser.add_argument(
        "--datasketch",
        type=int,
        default=20_000,
        help="articles for the baseline: datasketch's own MinHashLSH on Redis (0 to skip; it is slow)",
    )
    args = parser.parse_args(argv)

    t = time.perf_counter()
    docs = generate_articles(args.articles, seed=args.seed)
    batches = [entries(docs[i : i + BATCH], i) for i in range(0, len(docs), BATCH)]
    bands = sum(len(e.band_keys) for b in batches for e in b)
    print(f"{args.articles} articles, {bands / args.articles:.1f} band keys each ({time.perf_counter() - t:.0f} s)")
    sets = queries(docs, args.queries, args.seed + 100)

    with contextlib.ExitStack() as stack:
        if args.url:
            url = args.url
        else:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url = stack.enter_context(running_redis(directory, refuse=stop)).url()
        client = redis.Redis.from_url(url)
        client.flushdb()
        before = int(client.info("memory")["used_memory"])
        store = RedisStore(url)
        cpu = server_cpu(client)
        rate, per_batch = ingest(store, batches)
        cpu = server_cpu(client) - cpu
        after = int(client.info("memory")["used_memory"])
        print(f"redis {client.info('server')['redis_version']} at {url}")
        print(f"  ingest {rate:.0f} articles/s, {max(per_batch) * 1000:.0f} ms for the slowest batch of {BATCH}")
        share = cpu / sum(per_batch)
        print(f"  redis-server CPU {cpu:.1f} s: {cpu / args.articles * 1e6:.0f} us/article, {share:.0%} of add time")
        grew = after - before
        print(f"  used_memory grew {grew / 2**20:.1f} MiB: {grew / args.articles:.0f} B/article")
        for family, size in sorted(redis_memory(store).items(), key=lambda kv: -kv[1]):
            print(f"    {family:20s} {size / args.articles:7.0f} B/article")
        time_lookups(store, sets)
        store.close()
        if args.datasketch:
            client.flushdb()
            datasketch_baseline(url, docs[: args.datasketch], args.queries)

    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = SqliteStore(Path(tmp) / "bench.sqlite")
            rate, per_batch = ingest(sqlite, batches)
            stats = sqlite.stats()
            print("sqlite")
            print(f"  ingest {rate:.0f} articles/s, {max(per_batch) * 1000:.0f} ms for the slowest batch of {BATCH}")
            print(f"  file {stats.bytes / 2**20:.1f} MiB: {stats.bytes / args.articles:.0f} B/article")
            time_lookups(sqlite, sets)
            sqlite.close()


if __name__ == "__main__":
    main()
