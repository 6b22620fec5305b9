"""The index of known articles at scale: ingest, size, lookup latency, cold check, recall of planted copies.

One command, from the project root with the virtual environment active:

    python -m benchmarks.bench_index                      # 100k and 1M documents, SQLite and Redis
    python -m benchmarks.bench_index --quick              # 5k and 20k documents, a minute or two
    python -m benchmarks.bench_index --sizes 100000 --backends sqlite --workdir /tmp/idx --keep

What it does, in order (every figure beside its target, met or missed; see benchmarks/README.md):

1. text to signature: `passage_band_keys` articles/s per core against datasketch's per-shingle
   `update()` and `update_batch()`, timed here with benchmarks/bench_signatures.py's harness;
2. a corpus (benchmarks/generate.py `index_block`): synthetic news of ~650 words with families of
   near-duplicates (5-20% word edits) and partial copies, as `provenance index import` JSONL, one
   file per step between sizes (the 100k index grows into the 1M one), plus the originals kept
   for planted copies;
3. for each backend and size: bulk ingest through the real CLI (`provenance index import FILE
   --index PATH|redis://...`, a subprocess on all cores: docs/s, peak RSS, CPU of the parent and of
   its workers); index bytes per document without the stored text; warm lookup latency (store
   `lookup` plus `get` of the hits) of planted copies and unrelated articles; recall of planted
   copies through `provenance.index.find`;
4. the wall time of a cold `provenance check COPY --candidate FILE --index BIG.sqlite -f json`
   process (median of 5), with `-X importtime` and cProfile offenders when it misses its target.

Where a target is missed, the run prints where the time or the bytes go. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.generate import (
    BlockShape,
    Plant,
    fast_articles,
    generate_articles,
    index_block,
    near_duplicate,
    partial_copy,
)
from provenance.fingerprint.keys import LshParams, passage_band_keys
from provenance.index.find import DEFAULT_LIMIT, find
from provenance.index.keys import entries
from provenance.index.store.base import Store
from provenance.model import Article

LSH = LshParams()
SHINGLE = 5  # words per shingle of the true copied share
KB = 1000


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    unit: str
    higher_is_better: bool

    def met(self, value: float) -> bool:
        return value >= self.limit if self.higher_is_better else value <= self.limit

    def text(self) -> str:
        return f"{'>=' if self.higher_is_better else '<='} {self.limit:,.6g} {self.unit}"


SIG_PER_CORE = Target("text to signature per core", 5000, "articles/s", True)
SIG_VS_BATCH = Target("text to signature vs datasketch update_batch", 10, "x", True)
INGEST = Target("bulk ingest from JSONL", 5000, "docs/s", True)
BYTES = Target("index bytes per document, text excluded", 1.5 * KB, "B", False)
SQLITE_P99 = Target("SQLite lookup+get p99, warm", 1.0, "ms", False)
REDIS_P50 = Target("Redis lookup+get p50, warm", 2.0, "ms", False)
COLD_CHECK = Target("cold `provenance check` wall, median of 5", 1.0, "s", False)
RECALL = Target("recall of planted copies (share >= 0.5) in top 20", 0.95, "", True)


@dataclass
class Summary:
    rows: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, what: str, value: str, target: Target | None = None, measured: float | None = None) -> str:
        met = None if target is None or measured is None else target.met(measured)
        self.rows.append((what, value, target.text() if target else "", met))
        return "" if met is None else ("met" if met else "MISSED")

    def lines(self) -> list[str]:
        width = max(len(r[0]) for r in self.rows)
        out = [f"{'figure':<{width}}  {'measured':>22}  {'target':>18}  status", "-" * (width + 54)]
        for what, value, target, met in self.rows:
            status = "" if met is None else ("met" if met else "MISSED")
            out.append(f"{what:<{width}}  {value:>22}  {target:>18}  {status}")
        return out


def say(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)


def section(title: str) -> None:
    say("", f"=== {title} ===", "")


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q * 100))


def profile_top(func: Callable[[], object], count: int = 8, key: str = "tottime") -> list[str]:
    """The `count` functions `func` spends most time in (cProfile, sorted by `key`)."""
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(count)
    text = out.getvalue()
    start = text.find("ncalls")
    return ["    " + line for line in text[start:].splitlines() if line.strip()] if start >= 0 else []


# --- 1. text to signature ----------------------------------------------------------------------


def signatures(summary: Summary, articles_n: int, repeat: int) -> None:
    from benchmarks import bench_signatures as bs

    section("Text to signature (benchmarks/bench_signatures.py harness)")
    articles = generate_articles(articles_n, seed=0)
    some, few = bs.subsample(articles, max(100, articles_n // 10)), bs.subsample(articles, max(50, articles_n // 30))
    workers = os.cpu_count() or 1
    with multiprocessing.Pool(workers) as pool:
        results = bs.run(
            [
                bs.Case(
                    f"provenance passage_band_keys (LSH {bs.LSH.bands}x{bs.LSH.rows})",
                    bs.provenance_band_keys,
                    articles,
                ),
                bs.Case(
                    f"provenance passage_band_keys, {workers} processes",
                    partial(bs.pooled_band_keys, pool, 500),
                    articles,
                    workers=workers,
                ),
                bs.Case("datasketch MinHash.update_batch (B)", bs.each(bs.datasketch_update_batch), some),
                bs.Case("datasketch MinHash.update per shingle (A)", bs.each(bs.datasketch_update), few),
            ],
            repeat,
        )
    one, pooled, batch, per_shingle = results
    say(
        *bs.table(results, per_shingle, batch),
        f"(best of {repeat} passes, {bs.mean_words(articles):.0f} words/article)",
    )
    status = summary.add("text to signature, 1 process", f"{one.per_core:,.0f} art/s", SIG_PER_CORE, one.per_core)
    pooled_label = f"text to signature, {workers} processes, per core"
    summary.add(pooled_label, f"{pooled.per_core:,.0f} art/s", SIG_PER_CORE, pooled.per_core)
    ratio = one.per_core / batch.per_core
    summary.add("  vs datasketch update_batch (B)", f"{ratio:.1f}x", SIG_VS_BATCH, ratio)
    pooled_ratio = pooled.per_core / batch.per_core
    summary.add(
        f"  {workers} processes per core vs update_batch (B)", f"{pooled_ratio:.1f}x", SIG_VS_BATCH, pooled_ratio
    )
    summary.add("  vs datasketch update per shingle (A)", f"{one.per_core / per_shingle.per_core:.0f}x")
    if status == "MISSED" or ratio < SIG_VS_BATCH.limit:
        say("", "where passage_band_keys spends its time:", *profile_top(lambda: bs.provenance_band_keys(articles)))


# --- 2. corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    first: int
    end: int  # corpus lines [first, end)
    path: Path


def _block(shape: BlockShape, seed: int, index: int) -> tuple[str, list[Plant]]:
    return index_block(index, shape, seed)


def write_corpus(workdir: Path, sizes: Sequence[int], shape: BlockShape, seed: int) -> tuple[list[Piece], list[Plant]]:
    """One JSONL file per step between sizes, written by a pool (reused when `workdir` already has them)."""
    bounds = [0, *sizes]
    pieces = [Piece(a, b, workdir / f"corpus-{a}-{b}.jsonl") for a, b in pairwise(bounds)]
    manifest = workdir / "corpus.json"
    wanted = {"sizes": list(sizes), "block": shape.size, "seed": seed, "shape": repr(shape)}
    plants_file = workdir / "plants.jsonl"
    if manifest.exists() and json.loads(manifest.read_text()) == wanted and all(p.path.exists() for p in pieces):
        plants = [Plant(**json.loads(line)) for line in plants_file.read_text().splitlines()]
        say(f"reusing the corpus in {workdir} ({sizes[-1]:,} documents, {len(plants)} plants)")
        return pieces, plants
    start = time.perf_counter()
    plants = []
    blocks = sizes[-1] // shape.size
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        results = pool.imap(partial(_block, shape, seed), range(blocks))
        for piece in pieces:
            with piece.path.open("w", encoding="utf-8") as out:
                for _ in range(piece.first // shape.size, piece.end // shape.size):
                    text, block_plants = next(results)
                    out.write(text)
                    plants += block_plants
    with plants_file.open("w", encoding="utf-8") as out:
        for plant in plants:
            out.write(json.dumps(_plant_dict(plant)) + "\n")
    manifest.write_text(json.dumps(wanted))
    elapsed = time.perf_counter() - start
    size = sum(p.path.stat().st_size for p in pieces)
    say(
        f"generated {sizes[-1]:,} documents in {elapsed:.1f} s ({sizes[-1] / elapsed:,.0f} docs/s on"
        f" {os.cpu_count()} processes), {size / 1e9:.2f} GB of JSONL ({size / sizes[-1]:,.0f} B/doc);"
        f" {len(plants)} originals kept for planted copies"
    )
    return pieces, plants


def _plant_dict(plant: Plant) -> dict[str, Any]:
    return {"position": plant.position, "url": plant.url, "family": plant.family, "paragraphs": plant.paragraphs}


def corpus_shape(pieces: Sequence[Piece], shape: BlockShape) -> str:
    """Words, paragraphs and record kinds of the first block, read back from the JSONL."""
    with pieces[0].path.open(encoding="utf-8") as stream:
        texts = [json.loads(line)["text"] for line in islice(stream, shape.size)]
    words = [len(t.split()) for t in texts]
    paragraphs = [t.count("\n\n") + 1 for t in texts]
    families = round(shape.families * shape.size)
    return (
        f"corpus: {np.mean(words):.0f} words/doc (min {min(words)}, max {max(words)}),"
        f" {np.mean(paragraphs):.1f} paragraphs/doc; per {shape.size:,} docs: {families} families of"
        f" {shape.family_members[0]}-{shape.family_members[1]} near-duplicates"
        f" ({shape.family_edits[0]:.0%}-{shape.family_edits[1]:.0%} word edits),"
        f" {round(shape.partials * shape.size)} partial copies, {shape.plants} plants"
    )


# --- planted copies and other queries ----------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str  # whole | partial | unrelated
    paragraphs: tuple[str, ...]
    keys: npt.NDArray[np.uint32]
    origin: Plant | None = None
    share: float = 0.0  # true copied share: of the query's 5-word shingles, those found in the origin
    detail: str = ""


def shingles(paragraphs: Sequence[str]) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", "\n".join(paragraphs).lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def copied_share(copy: Sequence[str], origin: Sequence[str]) -> float:
    mine = shingles(copy)
    return len(mine & shingles(origin)) / len(mine) if mine else 0.0


def planted(plant: Plant, own: Sequence[str]) -> tuple[tuple[str, ...], str, tuple[str, ...], str]:
    """A whole copy (verbatim or 2-15% word edits) and a partial one (k of n paragraphs plus own text)."""
    rng = random.Random(f"planted:{plant.position}")
    rate = 0.0 if rng.random() < 0.25 else rng.uniform(0.02, 0.15)
    whole = tuple(near_duplicate(plant.paragraphs, rate, rng))
    n = len(plant.paragraphs)
    k = min(n, rng.randint(max(2, n // 4), max(2, n // 2)))
    contiguous = rng.random() < 0.5
    copied = partial_copy(plant.paragraphs, k, rng, contiguous=contiguous)
    mine = list(own[: rng.randint(1, 2)])
    part = (mine[0], *copied, *mine[1:])
    detail = f"{k} of {n} paragraphs{' (one run)' if contiguous else ''} + {len(mine)} own"
    return whole, f"{rate:.0%} edits", part, detail


class Queries:
    """Planted copies of indexed originals and unrelated articles, built once and shared by all runs."""

    def __init__(self, plants: Sequence[Plant], per_size: int, seed: int) -> None:
        self.plants = sorted(plants, key=lambda p: p.position)
        self.per_size = per_size
        self.own = fast_articles(max(1, len(self.plants)), seed=seed + 101)
        fresh = fast_articles(per_size, seed=seed + 202)
        self.unrelated = [
            Query("unrelated", tuple(a), k) for a, k in zip(fresh, passage_band_keys(fresh, LSH), strict=True)
        ]
        self._made: dict[int, tuple[Query, Query]] = {}

    def planted(self, size: int) -> list[Query]:
        """Whole and partial copies of up to `per_size` plants spread over the first `size` documents."""
        inside = [p for p in self.plants if p.position < size]
        step = max(1, len(inside) / self.per_size)
        chosen = [inside[int(i * step)] for i in range(min(self.per_size, len(inside)))]
        todo = [p for p in chosen if p.position not in self._made]
        built = []
        for plant in todo:
            own = self.own[plant.position % len(self.own)]
            whole, whole_detail, part, part_detail = planted(plant, own)
            built.append((plant, whole, whole_detail, part, part_detail))
        keys = passage_band_keys([doc for b in built for doc in (b[1], b[3])], LSH)
        for i, (plant, whole, whole_detail, part, part_detail) in enumerate(built):
            self._made[plant.position] = (
                Query("whole", whole, keys[2 * i], plant, copied_share(whole, plant.paragraphs), whole_detail),
                Query("partial", part, keys[2 * i + 1], plant, copied_share(part, plant.paragraphs), part_detail),
            )
        return [q for p in chosen for q in self._made[p.position]]


# --- processes: run, time, peak memory ---------------------------------------------------------


@dataclass
class Run:
    wall: float
    code: int
    maxrss_mb: float  # largest single process of the tree (wait4's ru_maxrss)
    tree_rss_mb: float  # sampled: the process and its descendants together
    cpu_total: float  # user+sys of the process and every descendant it waited for
    cpu_parent: float  # user+sys of the process itself (sampled to its last moment)
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(k) for k in found]
    return kids + [g for k in kids for g in _children(k)]


def _rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_process(args: Sequence[str], workdir: Path, env: dict[str, str] | None = None) -> Run:
    """Run `args` to the end, sampling its memory and CPU; stdout and stderr go to files in `workdir`.

    Peak RSS comes from GNU time when installed: a child's ru_maxrss also counts the image it was
    forked from (this process, a few hundred MB), so it is taken from a child of a small process.
    """
    out_path, err_path, rss_path = workdir / "last.stdout", workdir / "last.stderr", workdir / "last.rss"
    timer = Path("/usr/bin/time")
    wrapped = timer.exists()
    command = [str(timer), "-f", "%M", "-o", str(rss_path), *args] if wrapped else list(args)
    samples = {"tree": 0.0, "parent_cpu": 0.0}
    done = threading.Event()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env)

        def sample() -> None:
            while not done.wait(0.2):
                below = _children(proc.pid)
                target = (below[0] if below else -1) if wrapped else proc.pid
                tree = sum(_rss_mb(k) for k in below) + (0.0 if wrapped else _rss_mb(proc.pid))
                samples["tree"] = max(samples["tree"], tree)
                cpu = _cpu_seconds(target) if target > 0 else -1.0
                if cpu >= 0:
                    samples["parent_cpu"] = max(samples["parent_cpu"], cpu)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss_kb = float(usage.ru_maxrss)
    if wrapped:
        with contextlib.suppress(OSError, ValueError, IndexError):
            maxrss_kb = float(rss_path.read_text().split()[-1])
    return Run(
        wall,
        proc.returncode,
        maxrss_kb / 1024,
        samples["tree"],
        usage.ru_utime + usage.ru_stime,
        samples["parent_cpu"],
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
    )


def provenance_command() -> list[str]:
    """The installed `provenance` script next to this interpreter (what users run), else `python -m`."""
    script = Path(sys.executable).parent / "provenance"
    return [str(script)] if script.exists() else [sys.executable, "-m", "provenance"]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PROVENANCE_INDEX", "PROVENANCE_DEBUG", "CI")}
    env["NO_COLOR"] = "1"
    return env


# --- Redis server ------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, no persistence: the tests' own."""
    from tests.support.redis_server import running_redis, stop

    directory = workdir / "redis"
    directory.mkdir(exist_ok=True)
    with running_redis(directory, refuse=stop) as server:
        yield server.url()


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def redis_cpu(client: Any) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


# --- 3. per backend and size -------------------------------------------------------------------


@dataclass
class Backend:
    name: str  # sqlite | redis
    location: str
    workdir: Path
    ingest_seconds: float = 0.0
    docs: int = 0
    redis_base_memory: int = 0

    def open(self) -> Store:
        if self.name == "sqlite":
            from provenance.index.store.sqlite import SqliteStore

            return SqliteStore(self.location, readonly=True)
        from provenance.index.store.redis import RedisStore

        return RedisStore(self.location, create=False)


def ingest_step(backend: Backend, piece: Piece, summary: Summary) -> Run:
    before_cpu = redis_cpu(redis_client(backend.location)) if backend.name == "redis" else 0.0
    args = [*provenance_command(), "index", "import", str(piece.path), "--index", backend.location]
    run = run_process(args, backend.workdir, clean_env())
    if run.code != 0:
        raise SystemExit(f"`{' '.join(args)}` failed ({run.code}): {run.stderr.strip()[-2000:]}")
    docs = piece.end - piece.first
    backend.ingest_seconds += run.wall
    backend.docs += docs
    rate, total_rate = docs / run.wall, backend.docs / backend.ingest_seconds
    workers_cpu = run.cpu_total - run.cpu_parent
    say(
        f"ingest {piece.first:,}-{piece.end:,} via `provenance index import` ({os.cpu_count()} workers):"
        f" {docs:,} docs in {run.wall:.1f} s = {rate:,.0f} docs/s; cumulative 0-{backend.docs:,}:"
        f" {total_rate:,.0f} docs/s",
        f"  CLI output: {run.stdout.strip()}",
        f"  CPU: CLI process {run.cpu_parent:.1f} s ({run.cpu_parent / run.wall:.0%} of wall), pool workers"
        f" {workers_cpu:.1f} s ({workers_cpu / run.wall:.0%} of wall)",
        f"  peak RSS: largest process {run.maxrss_mb:,.0f} MB, process tree {run.tree_rss_mb:,.0f} MB (sampled)",
    )
    if backend.name == "redis":
        server = redis_cpu(redis_client(backend.location)) - before_cpu
        say(f"  redis-server CPU: {server:.1f} s ({server / run.wall:.0%} of wall)")
    label = f"{backend.name} {backend.docs // 1000:,}k"
    summary.add(f"bulk ingest, {label} (0-{backend.docs:,})", f"{total_rate:,.0f} docs/s", INGEST, total_rate)
    summary.add(f"peak RSS of ingest, {label}", f"{run.maxrss_mb:,.0f} MB")
    return run


def sqlite_bytes(path: str, docs: int) -> tuple[float, float, list[str]]:
    """Bytes per document without the text: by dbstat (every B-tree's pages, less the text in them, less
    the pages of a table that holds nothing but text) and, stricter, the file size less the text bytes."""
    from provenance.index.store.sqlite import SqliteStore

    store = SqliteStore(path, readonly=True)
    try:
        text = store.stats().text_bytes
    finally:
        store.close()
    size = sum(Path(path + s).stat().st_size for s in ("", "-wal") if Path(path + s).exists())
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")] for t in tables}
        holder = next((t for t, cols in columns.items() if "text" in cols), None)
        text_only = holder is not None and set(columns[holder]) <= {"id", "text"}
        lines = [
            f"  file {size / 1e6:,.0f} MB = {size / docs:,.0f} B/doc, of which compressed text {text / docs:,.0f}"
            f" B/doc (in table {holder!r}); page size {page}"
        ]
        try:
            rows = conn.execute(
                "SELECT name, SUM(pgsize), SUM(payload), SUM(unused), COUNT(*) FROM dbstat GROUP BY name"
                " ORDER BY SUM(pgsize) DESC"
            ).fetchall()
        except sqlite3.OperationalError as exc:
            lines.append(f"  (no dbstat in this SQLite: {exc})")
            rows = []
    finally:
        conn.close()
    by_table = size - text
    if rows:
        by_table = sum(r[1] for r in rows if not (text_only and r[0] == holder)) - (0 if text_only else text)
    for name, pages_bytes, payload, unused, pages in rows:
        note = f", of which text {text / docs:,.0f}" if name == holder else ""
        lines.append(
            f"  {name:<28} {pages_bytes / docs:>7,.0f} B/doc in {pages:,} pages: payload"
            f" {payload / docs:,.0f}{note}, unused {unused / docs:,.0f}, headers and pointers"
            f" {(pages_bytes - payload - unused) / docs:,.0f}"
        )
    return by_table / docs, (size - text) / docs, lines


def redis_bytes(backend: Backend, docs: int) -> tuple[float, list[str]]:
    """(used_memory delta - text bytes) per document, and an estimate per key family from samples."""
    client = redis_client(backend.location)
    memory = int(client.info("memory")["used_memory"])
    meta = {k.decode(): int(v) for k, v in client.hgetall("prov:meta").items() if v.isdigit()}
    store = backend.open()
    try:
        stats = store.stats()
    finally:
        store.close()
    text = stats.text_bytes
    delta = memory - backend.redis_base_memory
    lines = [
        f"  used_memory {memory / 1e6:,.0f} MB (delta {delta / 1e6:,.0f} MB = {delta / docs:,.0f} B/doc), of which"
        f" compressed text {text / docs:,.0f} B/doc; {stats.band_entries / docs:.1f} band keys/doc"
    ]
    if not {"next_id", "articles", "b:size", "b:next", "b:fields"} <= set(meta):
        client.close()
        return (delta - text) / docs, [*lines, "  (unknown key layout: no breakdown)"]
    rng = random.Random(0)
    estimates: dict[str, float] = {}
    ids = [rng.randint(1, meta["next_id"]) for _ in range(2000)]
    with client.pipeline(transaction=False) as pipe:
        for i in ids:
            pipe.memory_usage(f"prov:a:{i}", samples=0)
        usage = [u for u in pipe.execute() if u]
    estimates["article records (a:<id>, text excluded)"] = float(np.mean(usage)) * meta["articles"] - text
    for kind, label in (("b", "band key map (b:<bucket>)"), ("u", "url map"), ("c", "content key map")):
        buckets = meta[f"{kind}:size"] + meta[f"{kind}:next"]
        picked = [rng.randrange(buckets) for _ in range(min(2000, buckets))]
        with client.pipeline(transaction=False) as pipe:
            for b in picked:
                pipe.memory_usage(f"prov:{kind}:{b}", samples=0)
            sizes = [u or 0 for u in pipe.execute()]
        estimates[f"{label}, {buckets:,} buckets, {meta[f'{kind}:fields'] / buckets:.0f} fields each"] = (
            float(np.mean(sizes)) * buckets
        )
    estimates["published index (pub zset)"] = float(client.memory_usage("prov:pub") or 0)
    estimates["rest: long id lists, key table, allocator"] = delta - text - sum(estimates.values())
    for name, value in estimates.items():
        lines.append(f"  {name:<52} {value / docs:>7,.0f} B/doc")
    client.close()
    return (delta - text) / docs, lines


def lookups(store: Store, queries: Sequence[Query], passes: int = 3) -> dict[str, list[float]]:
    """Milliseconds per query, in query order: lookup, get of its hits, and both.

    After an untimed warm-up pass, each query's figure is its median over `passes` timed passes
    (round-robin over the queries), so one scheduling hiccup of a shared machine is not its p99.
    """
    for q in queries:  # warm-up pass: the same queries, untimed
        store.get([h.key for h in store.lookup(q.keys, DEFAULT_LIMIT)])
    raw = np.empty((passes, len(queries), 2))
    for p in range(passes):
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            hits = store.lookup(q.keys, DEFAULT_LIMIT)
            t1 = time.perf_counter()
            store.get([h.key for h in hits])
            t2 = time.perf_counter()
            raw[p, i] = (t1 - t0, t2 - t1)
    raw *= 1000
    return {
        "lookup": np.median(raw[:, :, 0], axis=0).tolist(),
        "get": np.median(raw[:, :, 1], axis=0).tolist(),
        "lookup+get": np.median(raw.sum(axis=2), axis=0).tolist(),
    }


def find_times(store: Store, queries: Sequence[Query]) -> list[float]:
    """Milliseconds of `provenance.index.find` (band keys of the query, lookup, get, Articles)."""
    times = []
    for q in queries:
        t0 = time.perf_counter()
        find(store, Article(source="query", paragraphs=q.paragraphs))
        times.append((time.perf_counter() - t0) * 1000)
    return times


def latency(backend: Backend, store: Store, queries: Sequence[Query], summary: Summary) -> None:
    label = f"{backend.name} {backend.docs // 1000:,}k"
    say(
        "lookup latency, warm (ms, per query the median of 3 passes; lookup = store.lookup(keys, 20),"
        " get = store.get of its hits; find = provenance.index.find, query band keys included, one pass"
        " over up to 100 queries of each kind):"
    )
    times = lookups(store, queries)
    hits = [len(store.lookup(q.keys, DEFAULT_LIMIT)) for q in queries]
    kinds = sorted({q.kind for q in queries}, key=["whole", "partial", "unrelated"].index)
    for kind in [*kinds, "all"]:
        rows = [i for i, q in enumerate(queries) if kind in ("all", q.kind)]
        mine = {name: [t[i] for i in rows] for name, t in times.items()}
        mine["find"] = find_times(store, [queries[i] for i in rows[:100]])
        parts = "  ".join(f"{name} {percentile(t, 0.5):.2f}/{percentile(t, 0.99):.2f}" for name, t in mine.items())
        say(
            f"  {kind:<9} {len(rows):>4} queries, {np.mean([hits[i] for i in rows]):4.1f} hits,"
            f" {np.mean([len(queries[i].keys) for i in rows]):3.0f} keys; p50/p99: {parts}"
        )
    p50, p99 = percentile(times["lookup+get"], 0.5), percentile(times["lookup+get"], 0.99)
    target = SQLITE_P99 if backend.name == "sqlite" else REDIS_P50
    value = p99 if backend.name == "sqlite" else p50
    other = f"p50 {p50:.2f}" if backend.name == "sqlite" else f"p99 {p99:.2f}"
    status = summary.add(
        f"lookup+get {'p99' if backend.name == 'sqlite' else 'p50'}, {label} ({other})",
        f"{value:.2f} ms",
        target,
        value,
    )
    if status == "MISSED":
        slow = sorted(zip(times["lookup+get"], queries, hits, strict=True), key=lambda t: -t[0])[:5]
        say("  slowest: " + "; ".join(f"{ms:.2f} ms ({q.kind}, {len(q.keys)} keys, {n} hits)" for ms, q, n in slow))
        say("  where one pass of lookup+get over the queries spends its time:")
        say(*profile_top(lambda: [store.get([h.key for h in store.lookup(q.keys, 20)]) for q in queries], 8))


def recall(backend: Backend, store: Store, queries: Sequence[Query], summary: Summary) -> None:
    label = f"{backend.name} {backend.docs // 1000:,}k"
    say("recall of planted copies through provenance.index.find (true origin in the top 20):")
    for kind in ("whole", "partial"):
        eligible = [q for q in queries if q.kind == kind and q.share >= 0.5]
        shares = [q.share for q in queries if q.kind == kind]
        misses: list[tuple[Query, int, int]] = []
        for q in eligible:
            assert q.origin is not None
            found = find(store, Article(source="query", paragraphs=q.paragraphs))
            if not any(a.url == q.origin.url for a, _ in found):
                origin_keys = passage_band_keys([q.origin.paragraphs], LSH)[0]
                shared = len(np.intersect1d(origin_keys, q.keys))
                misses.append((q, shared, min((n for _, n in found), default=0)))
        value = 1 - len(misses) / len(eligible) if eligible else float("nan")
        say(
            f"  {kind:<8} {len(eligible) - len(misses)} of {len(eligible)} = {value:.3f}"
            f" ({len(shares) - len(eligible)} of {len(shares)} copies had a true share below 0.5 and are not"
            f" counted; median share of those counted {statistics.median([q.share for q in eligible] or [0]):.2f})"
        )
        summary.add(f"recall, {kind} copies, {label} (n={len(eligible)})", f"{value:.3f}", RECALL, value)
        for q, shared, weakest in misses[:8]:
            why = "shares no band key with it" if not shared else f"shares {shared} keys, top 20 needed > {weakest}"
            if kind == "partial":
                why += f"; {aligned_passages(q)}"
            family = q.origin.family if q.origin else 0
            say(f"    missed: share {q.share:.2f}, {q.detail}, origin family of {family}: {why}")


def passages(paragraphs: Sequence[str]) -> list[str]:
    """The passages the index signs (paragraphs merged to PASSAGE_MIN_TOKENS tokens), as text."""
    from provenance.fingerprint.batch import passage_spans
    from provenance.normalize import tokenize

    spans = passage_spans([len(tokenize(p).words) for p in paragraphs])
    return ["\n".join(paragraphs[i] for i in span) for span in spans]


def aligned_passages(q: Query) -> str:
    """How many of the copy's passages are, word for word, passages of the origin (copied paragraphs
    whose passage boundaries moved share fewer keys: a short paragraph merges with its neighbour)."""
    assert q.origin is not None
    theirs = set(passages(q.origin.paragraphs))
    mine = passages(q.paragraphs)
    return f"{sum(p in theirs for p in mine)} of the copy's {len(mine)} passages are passages of the origin"


def cold_check(backend: Backend, queries: Sequence[Query], summary: Summary, runs: int, importtime: bool) -> None:
    section(f"Cold `provenance check` against the {backend.docs:,}-document SQLite index")
    query = next(q for q in queries if q.kind == "whole" and q.share >= 0.5)
    assert query.origin is not None
    article, candidate = backend.workdir / "copy.txt", backend.workdir / "origin.txt"
    article.write_text("\n\n".join(query.paragraphs) + "\n", encoding="utf-8")
    candidate.write_text("\n\n".join(query.origin.paragraphs) + "\n", encoding="utf-8")
    check = ["check", str(article), "--candidate", str(candidate), "--index", backend.location, "-f", "json"]
    cli = provenance_command()
    commands = {
        "python -c pass (interpreter start)": [sys.executable, "-c", "pass"],
        "provenance --version": [*cli, "--version"],
        "check --no-index": [*cli, *check[:4], "--no-index", "-f", "json"],
        "check --index BIG.sqlite": [*cli, *check],
    }
    results: dict[str, list[Run]] = {}
    for name, args in commands.items():
        run_process(args, backend.workdir, clean_env())  # writes any missing .pyc; not timed
        results[name] = [run_process(args, backend.workdir, clean_env()) for _ in range(runs)]
    for name, rs in results.items():
        walls = [r.wall for r in rs]
        say(
            f"{name:<36} median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}),"
            f" peak RSS {max(r.maxrss_mb for r in rs):,.0f} MB, exit {rs[0].code}"
        )
    checked = results["check --index BIG.sqlite"]
    if checked[0].code not in (0, 1):
        say(f"check failed: {checked[0].stderr.strip()}")
    else:
        report = json.loads(checked[0].stdout)
        origin = report.get("origin") or {}
        say(f"report: relation {report.get('relation')}, origin {origin.get('url') or origin.get('source')}")
    median = statistics.median(r.wall for r in checked)
    summary.add(f"cold check wall, sqlite {backend.docs // 1000:,}k", f"{median:.3f} s", COLD_CHECK, median)
    summary.add("peak RSS of check", f"{max(r.maxrss_mb for r in checked):,.0f} MB")
    if median > COLD_CHECK.limit or importtime:
        say("", "python -X importtime, top 12 by cumulative time (imports first made by this module):")
        run = run_process(
            [sys.executable, "-X", "importtime", "-m", "provenance", *check], backend.workdir, clean_env()
        )
        say(*importtime_top(run.stderr, 12))
        say("", "cProfile of one check process, top 15 by cumulative time:")
        prof = backend.workdir / "check.prof"
        args = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "provenance", *check]
        run_process(args, backend.workdir, clean_env())
        out = io.StringIO()
        pstats.Stats(str(prof), stream=out).sort_stats("cumulative").print_stats(15)
        text = out.getvalue()
        say(*("    " + line for line in text[text.find("ncalls") :].splitlines() if line.strip()))


def importtime_top(stderr: str, count: int) -> list[str]:
    """The top-level imports (and what they pulled in) costing the most, from `-X importtime` output."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), int(m.group(1)), len(m.group(3)), m.group(4)))
    total = sum(c for c, _, depth, _ in rows if depth <= 1)
    top = sorted((r for r in rows if r[2] <= 3), key=lambda r: -r[0])[:count]
    lines = [f"    all imports: {total / 1e6:.3f} s"]
    lines += [f"    {c / 1e6:7.3f} s cumulative {s / 1e6:7.3f} s self  {'  ' * (d - 1)}{name}" for c, s, d, name in top]
    return lines


def ingest_profile(backend: Backend, piece: Piece, sample: int) -> None:
    """Where ingest time goes: each stage of the CLI path, alone, on `sample` documents into a fresh store."""
    import pickle

    from provenance.index import open_index
    from provenance.index.readers.jsonl import read_jsonl

    say("", f"where {backend.name} ingest time goes ({sample:,} documents, each stage alone, one process):")
    with piece.path.open(encoding="utf-8") as stream:
        t0 = time.perf_counter()
        articles = list(islice(read_jsonl(stream, piece.path.name), sample))
    t1 = time.perf_counter()
    batches = [articles[i : i + 2000] for i in range(0, len(articles), 2000)]
    for batch in batches:
        pickle.dumps(batch)
    t2 = time.perf_counter()
    computed = [entries(b) for b in batches]
    t3 = time.perf_counter()
    back = [pickle.loads(pickle.dumps(e)) for e in computed]
    t4 = time.perf_counter()
    if backend.name == "sqlite":
        location = str(backend.workdir / "profile.sqlite")
        for suffix in ("", "-wal", "-shm"):
            Path(location + suffix).unlink(missing_ok=True)
    else:
        location = backend.location.rsplit("/", 1)[0] + "/1"
        redis_client(location).flushdb()
    store = open_index(location)
    t5 = time.perf_counter()
    lines = profile_top(lambda: [store.add(e) for e in back], 8)
    t6 = time.perf_counter()
    store.close()
    stages = {
        "read_jsonl (json, dates, paragraphs)": t1 - t0,
        "pickle to a worker": t2 - t1,
        "entries(): band and content keys": t3 - t2,
        "pickle back and unpickle": t4 - t3,
        "store.add (under cProfile)": t6 - t5,
    }
    for name, seconds in stages.items():
        say(f"  {name:<38} {sample / seconds:>9,.0f} docs/s  {seconds / sample * 1e6:>6.0f} us/doc")
    say("  store.add by function:", *lines)
    if backend.name == "redis":
        redis_client(location).flushdb()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(location + suffix).unlink(missing_ok=True)


def add_at_scale(backend: Backend, shape: BlockShape, seed: int) -> None:
    """store.add of two more batches into the full index (after every other measurement of it)."""
    from provenance.index import open_index
    from provenance.index.ingest import BATCH_SIZE
    from provenance.index.readers.jsonl import read_jsonl

    t0 = time.perf_counter()
    store = open_index(backend.location)
    t1 = time.perf_counter()
    size = store.write_batch  # what one transaction of a bulk ingest holds at this index size
    more: list[Any] = []
    block = backend.docs // shape.size + 1  # blocks beyond the corpus
    while len(more) < size + BATCH_SIZE:
        more += read_jsonl(io.StringIO(index_block(block, shape, seed)[0]), "extra")
        block += 1
    first, second = entries(more[:size]), entries(more[size : size + BATCH_SIZE])
    cpu = redis_cpu(redis_client(backend.location)) if backend.name == "redis" else 0.0
    result = store.add(first)
    t2 = time.perf_counter()
    server = redis_cpu(redis_client(backend.location)) - cpu if backend.name == "redis" else 0.0
    lines = profile_top(lambda: store.add(second), 8)
    store.close()
    opened = "open for writing" + (
        " (PRAGMA quick_check when the file is <= 256 MB)" if backend.name == "sqlite" else ""
    )
    say(
        "",
        f"store.add into the full {backend.docs:,}-document {backend.name} index, one transaction of {size:,}:",
        f"  {opened}: {t1 - t0:.2f} s",
        f"  add: {t2 - t1:.2f} s = {result.added / (t2 - t1):,.0f} docs/s ({result.added} added)"
        + (f"; redis-server CPU {server:.2f} s" if backend.name == "redis" else ""),
        f"  a batch of {BATCH_SIZE:,} under cProfile, by function:",
        *lines,
    )


def run_backend(
    name: str,
    location: str,
    workdir: Path,
    pieces: Sequence[Piece],
    queries: Queries,
    summary: Summary,
    args: argparse.Namespace,
) -> None:
    backend = Backend(name, location, workdir)
    if name == "redis":
        client = redis_client(location)
        client.flushall()
        from provenance.index.store.redis import RedisStore

        RedisStore(location).close()  # the empty index: its marker and meta are the baseline
        backend.redis_base_memory = int(client.info("memory")["used_memory"])
        client.close()
    missed_ingest = False
    for piece in pieces:
        section(f"{name}: {piece.end:,} documents")
        ingest_step(backend, piece, summary)
        missed_ingest |= backend.docs / backend.ingest_seconds < INGEST.limit
        label = f"{name} {backend.docs // 1000:,}k"
        if name == "sqlite":
            per_doc, strict, lines = sqlite_bytes(location, backend.docs)
            say(
                f"index bytes per document without text: {per_doc:,.0f} B (dbstat: index B-trees, text excluded);"
                f" {strict:,.0f} B (file size - text bytes)",
                *lines,
            )
            summary.add(f"bytes/doc without text, {label} (dbstat)", f"{per_doc:,.0f} B", BYTES, per_doc)
            summary.add(f"bytes/doc without text, {label} (file - text)", f"{strict:,.0f} B", BYTES, strict)
        else:
            per_doc, lines = redis_bytes(backend, backend.docs)
            say(f"index bytes per document without text: {per_doc:,.0f} B (used_memory delta - text bytes)", *lines)
            summary.add(f"bytes/doc without text, {label}", f"{per_doc:,.0f} B", BYTES, per_doc)
        store = backend.open()
        try:
            planted_queries = queries.planted(piece.end)
            latency(backend, store, [*planted_queries, *queries.unrelated], summary)
            recall(backend, store, planted_queries, summary)
        finally:
            store.close()
    if name == "sqlite" and not args.no_check:
        cold_check(backend, queries.planted(pieces[-1].end), summary, args.check_runs, args.importtime)
    if missed_ingest:
        ingest_profile(backend, pieces[0], min(args.profile_docs, pieces[0].end))
        add_at_scale(backend, BlockShape(size=args.block, plants=20), args.seed)


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The index at scale: ingest, bytes, latency, cold check, recall.")
    add = parser.add_argument
    add("--sizes", help="index sizes, comma-separated (default 100000,1000000; --quick: 5000,20000)")
    add("--backends", default="sqlite,redis", help="sqlite, redis or both (default both)")
    add("--quick", action="store_true", help="a small run: 5k and 20k documents, fewer queries and passes")
    add("--workdir", type=Path, help="where the corpus and indexes go (default: a temp dir under /tmp, removed)")
    add("--keep", action="store_true", help="keep the temp dir")
    add("--queries", type=int, help="planted originals per size (each gives a whole and a partial copy)")
    add("--seed", type=int, default=0)
    add("--signature-articles", type=int, help="articles for the text-to-signature figure (default 10000)")
    add("--check-runs", type=int, default=5, help="timed cold check processes")
    add("--importtime", action="store_true", help="show import time and a profile of check even when it is fast")
    add("--profile-docs", type=int, default=20_000, help="documents for the ingest profile when ingest misses")
    add("--no-signatures", action="store_true", help="skip the text-to-signature section")
    add("--no-check", action="store_true", help="skip the cold check section")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for s in (args.sizes or ("5000,20000" if args.quick else "100000,1000000")).split(",")})
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not set(args.backends) <= {"sqlite", "redis"}:
        parser.error("--backends takes sqlite and/or redis")
    args.block = 1000 if args.quick or args.sizes[0] < 5000 else 5000
    if any(s % args.block for s in args.sizes):
        parser.error(f"sizes must be multiples of {args.block}")
    args.queries = args.queries or (100 if args.quick else 400)
    args.signature_articles = args.signature_articles or (2000 if args.quick else 10_000)
    return args


def code_version() -> str:
    """A short hash of provenance's sources: the figures belong to the code as it was when they ran."""
    import hashlib

    import provenance

    root = Path(provenance.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def environment() -> list[str]:
    import platform

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"{time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, numpy {np.__version__},"
        f" SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load},"
        f" provenance sources {code_version()}",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    version = code_version()
    say(*environment())
    summary = Summary()
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="bench_index-", dir="/tmp")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    say(f"workdir {workdir}; sizes {', '.join(f'{s:,}' for s in args.sizes)}; backends {', '.join(args.backends)}")
    try:
        if not args.no_signatures:
            signatures(summary, args.signature_articles, 2 if args.quick else 3)
        section("Corpus")
        shape = BlockShape(size=args.block, plants=20)
        pieces, plants = write_corpus(workdir, args.sizes, shape, args.seed)
        say(corpus_shape(pieces, shape))
        queries = Queries(plants, args.queries, args.seed)
        for name in args.backends:
            if name == "sqlite":
                path = workdir / "index.sqlite"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
                run_backend(name, str(path), workdir, pieces, queries, summary, args)
            else:
                with redis_server(workdir) as url:
                    run_backend(name, url, workdir, pieces, queries, summary, args)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    section("Summary")
    say(*summary.lines())
    say("", f"whole run {time.perf_counter() - start:,.0f} s; {environment()[0]}")
    if code_version() != version:
        say(f"WARNING: provenance's sources changed during the run (were {version}): figures may mix versions")


if __name__ == "__main__":
    main()
