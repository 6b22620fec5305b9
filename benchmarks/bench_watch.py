"""One `provenance watch` pass at scale: 1,000 new pages over 20 loopback hosts against a 100,000-article index.

    python -m benchmarks.bench_watch                     # the figures in benchmarks/README.md
    python -m benchmarks.bench_watch --size 20000        # a quicker look
    python -m benchmarks.bench_watch --workdir DIR       # where the corpus and index are kept

What it does:

1. the index: benchmarks/bench_index.py's corpus (generate.py `index_block`: synthetic news with
   families of near-duplicates and partial copies) imported with `provenance index import`; both
   are kept in the work directory (default ~/.cache/provenance-bench/watch) and reused;
2. the web: 20 sites on 127.0.1.1-20 (a server process of their own, so they take no time from
   the pass), each with an RSS feed of 50 pages: 30% copies of indexed articles (whole or partial,
   some lightly edited), 70% new articles no index holds;
3. the pass: `provenance watch --once --format json` as a process (per-host delay 0, no HTTP
   cache, all cores), a fresh state: items/s over the pass (the JSON's started..finished) and the
   process's wall, peak RSS of the largest process and of the whole tree;
4. the baseline, in the same run: the same 1,000 URLs checked one by one with `provenance.check()`
   in one process (one client, the index opened once, no discovery), as a script would;
5. which planted copies the pass reported (recall), and that it reported no new article.

Nothing is asserted; the target (>= 20 items/s on 2 cores) is printed beside the figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.bench_index import clean_env, provenance_command, run_process, say, write_corpus
from benchmarks.generate import BlockShape, Plant, fast_articles, near_duplicate, partial_copy

HOSTS = 20
PER_HOST = 50
COPIES = 0.3  # share of the pages that copy an indexed article
TARGET = 20.0  # items/s on 2 cores
SITES = tuple(f"{a}{b}" for a in ("daily", "metro", "global", "city", "wire") for b in ("times", "post", "herald"))
DEFAULT_WORKDIR = Path.home() / ".cache" / "provenance-bench" / "watch"


def host(number: int) -> str:
    return f"127.0.1.{number + 1}"


# --- the index ---------------------------------------------------------------------------------------


def build_index(workdir: Path, size: int, seed: int) -> tuple[Path, list[Plant]]:
    """The corpus and its index, reused when the work directory has them; the articles copies are made
    of: the corpus's plants (originals), then other indexed articles picked at random."""
    shape = BlockShape()
    pieces, plants = write_corpus(workdir, [size], shape, seed)
    wanted = round(HOSTS * PER_HOST * COPIES)
    if len(plants) < wanted:
        rng = random.Random(f"watch-originals:{seed}")
        with pieces[0].path.open(encoding="utf-8") as stream:
            lines = rng.sample(list(enumerate(stream)), wanted - len(plants))
        for position, line in lines:
            record = json.loads(line)
            plants.append(Plant(position, record["url"], 0, record["text"].split("\n\n")))
    index = workdir / f"index-{size}.sqlite"
    marker = workdir / f"index-{size}.done"
    if index.exists() and marker.exists():
        say(f"reusing the index {index} ({size:,} articles)")
        return index, plants
    for stale in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
        stale.unlink(missing_ok=True)
    run = run_process([*provenance_command(), "index", "import", str(pieces[0].path), "--index", str(index)],
                      workdir, clean_env())  # fmt: skip
    if run.code != 0:
        raise SystemExit(f"index import failed:\n{run.stderr[-2000:]}")
    marker.write_text("ok")
    say(f"indexed {size:,} articles in {run.wall:.0f} s ({size / run.wall:,.0f} docs/s)")
    return index, plants


# --- the web -----------------------------------------------------------------------------------------


def page_html(title: str, site: str, paragraphs: Sequence[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{site}'>"
        "<meta property='article:published_time' content='2026-03-02T12:00:00Z'>"  # after every indexed article
        "</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>{site}</footer></body></html>"
    )


def write_web(root: Path, plants: Sequence[Plant], seed: int) -> dict[str, str]:
    """Pages and feeds of the 20 sites under `root/<host>/`; returns copy URL path -> planted original URL."""
    rng = random.Random(f"watch-web:{seed}")
    total = HOSTS * PER_HOST
    copies = round(total * COPIES)
    fresh = fast_articles(total - copies, seed=rng.getrandbits(64))
    chosen = rng.sample(list(plants), copies)
    planted: dict[str, str] = {}
    pages: list[tuple[list[str], str | None]] = [(list(p), None) for p in fresh]
    for plant in chosen:
        paragraphs = plant.paragraphs
        kind = rng.random()
        if kind < 0.4:
            copy = list(paragraphs)  # whole
        elif kind < 0.7:
            copy = near_duplicate(paragraphs, rng.uniform(0.02, 0.08), rng)  # lightly edited
        else:
            copy = partial_copy(paragraphs, max(2, len(paragraphs) // 2), rng)  # half of it
        pages.append((copy, plant.url))
    rng.shuffle(pages)
    for number in range(HOSTS):
        site = f"aggregator{number + 1}"
        folder = root / host(number)
        folder.mkdir(parents=True, exist_ok=True)
        items = []
        for n, (paragraphs, original) in enumerate(pages[number * PER_HOST : (number + 1) * PER_HOST]):
            path = f"/story/{n:03d}.html"
            title = " ".join(paragraphs[0].split()[:8]).strip(",.;:\"'")
            (folder / path.lstrip("/")).parent.mkdir(exist_ok=True)
            (folder / path.lstrip("/")).write_text(page_html(title, site, paragraphs), encoding="utf-8")
            items.append(f"<item><title>{title}</title><link>PREFIX{path}</link></item>")
            if original:
                planted[f"{host(number)}{path}"] = original
        feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{site}</title>{''.join(items)}</channel></rss>"
        (folder / "feed.xml").write_text(feed, encoding="utf-8")
    return planted


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: str, ports: Any, ready: Any) -> None:
    """The 20 sites, each on its own loopback address, in this (separate) process."""
    import functools
    import threading

    servers = []
    for number in range(HOSTS):
        handler = functools.partial(_Quiet, directory=str(Path(root) / host(number)))
        server = ThreadingHTTPServer((host(number), 0), handler)
        server.daemon_threads = True
        servers.append(server)
        ports[number] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    threading.Event().wait()


def bases(ports: Sequence[int]) -> list[str]:
    return [f"http://{host(n)}:{ports[n]}" for n in range(HOSTS)]


def fix_feeds(root: Path, ports: Sequence[int]) -> None:
    for number, base in enumerate(bases(ports)):
        feed = root / host(number) / "feed.xml"
        feed.write_text(feed.read_text().replace("PREFIX", base))


# --- the runs ----------------------------------------------------------------------------------------


def config(path: Path, index: Path, ports: Sequence[int]) -> Path:
    sources = [f"{base}/feed.xml" for base in bases(ports)]
    own = [f"{site}.example" for site in SITES]
    path.write_text(
        f"index = {json.dumps(str(index))}\n"
        "[discovery]\nallow-private = true\ndelay = 0\nattempts = 1\ncache = false\n"
        f"[watch]\nsources = {json.dumps(sources)}\nstate = {json.dumps(str(path.parent / 'state.sqlite'))}\n"
        f"[watch.own]\ndomains = {json.dumps(own)}\n"
    )
    return path


def baseline(urls_file: str, index: str) -> None:
    """The same pages, checked one by one with provenance.check() (run as a process of its own)."""
    import provenance
    from provenance.fetch import FetchSettings, new_client
    from provenance.index import open_index

    settings = provenance.Settings(fetch=FetchSettings(allow_private=True, delay=0, attempts=1, cache=False))
    urls = Path(urls_file).read_text().split()
    store = open_index(index, create=False, readonly=True)
    copies = 0
    start = time.perf_counter()
    with new_client(settings.fetch) as client:
        for url in urls:
            report = provenance.check(url, settings=settings, client=client, store=store)
            copies += report.origin is not None
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "items": len(urls), "with_origin": copies}))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles in the index (a multiple of 5,000)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="corpus and index, kept for reuse")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-by-one baseline")
    parser.add_argument("--workers", type=int, default=None, help="watch --workers (default: all cores)")
    parser.add_argument("--baseline-only", nargs=2, metavar=("URLS", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_only:
        baseline(*args.baseline_only)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    say(f"bench_watch: {HOSTS * PER_HOST:,} new pages over {HOSTS} hosts, a {args.size:,}-article index;"
        f" {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    index, plants = build_index(args.workdir, args.size, args.seed)
    run_dir = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    context = multiprocessing.get_context("spawn")
    ports = context.Array("i", HOSTS)
    ready = context.Event()
    try:
        planted = write_web(run_dir / "web", plants, args.seed)
        server = context.Process(target=serve, args=(str(run_dir / "web"), ports, ready), daemon=True)
        server.start()
        ready.wait(30)
        fix_feeds(run_dir / "web", list(ports))
        report(run_dir, index, list(ports), planted, not args.no_baseline, args.workers)
        server.terminate()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def report(
    run_dir: Path, index: Path, ports: Sequence[int], planted: dict[str, str], with_baseline: bool, workers: int | None
) -> None:
    settings = config(run_dir / "provenance.toml", index, ports)
    env = clean_env()
    command = [*provenance_command(), "--config", str(settings), "watch", "--once", "--format", "json"]
    run = run_process([*command, *(["--workers", str(workers)] if workers else [])], run_dir, env)
    if run.code not in (0, 1):
        raise SystemExit(f"watch failed ({run.code}):\n{run.stderr[-3000:]}")
    data = json.loads(run.stdout)
    passed = data["pass"]
    from datetime import datetime

    seconds = (datetime.fromisoformat(passed["finished"]) - datetime.fromisoformat(passed["started"])).total_seconds()
    items = HOSTS * PER_HOST
    found = {f["page_url"].split("//", 1)[1].split(":", 1)[0] + "/" + f["page_url"].split("/", 3)[3]: f
             for f in data["findings"]}  # fmt: skip
    hits = sum(1 for key in planted if key in found)
    same = sum(1 for key, original in planted.items() if key in found and found[key]["original_url"] == original)
    false = sum(1 for key in found if key not in planted)
    rate = items / seconds
    say(
        "",
        f"pass: {passed['checked']:,} pages checked ({len(passed['errors'])} not read) in {seconds:.1f} s:"
        f" {rate:.1f} items/s (target >= {TARGET:g} on 2 cores: {'met' if rate >= TARGET else 'MISSED'});"
        f" process wall {run.wall:.1f} s ({items / run.wall:.1f} items/s with start-up)",
        f"      peak RSS: largest process {run.maxrss_mb:.0f} MB, whole tree {run.tree_rss_mb:.0f} MB;"
        f" CPU {run.cpu_total:.0f} s ({1000 * run.cpu_total / items:.0f} ms a page, the workers' start included);"
        f" load average now {os.getloadavg()[0]:.1f}",
        f"      findings: {len(found)}; copies found {hits}/{len(planted)} ({same} naming the article copied,"
        f" the others a near-duplicate of it in the index); findings on new articles {false}",
    )
    if not with_baseline:
        return
    urls = run_dir / "urls.txt"
    urls.write_text("\n".join(f"{base}/story/{n:03d}.html" for base in bases(ports) for n in range(PER_HOST)))
    command = [sys.executable, "-m", "benchmarks.bench_watch", "--baseline-only", str(urls), str(index)]
    base = run_process(command, run_dir, env)
    if base.code != 0:
        raise SystemExit(f"baseline failed:\n{base.stderr[-3000:]}")
    numbers = json.loads(base.stdout.strip().splitlines()[-1])
    base_rate = numbers["items"] / numbers["seconds"]
    say(
        f"baseline (provenance.check one by one, one process): {numbers['items']:,} pages in"
        f" {numbers['seconds']:.1f} s: {base_rate:.1f} items/s; peak RSS {base.maxrss_mb:.0f} MB;"
        f" CPU {base.cpu_total:.0f} s ({1000 * base.cpu_total / numbers['items']:.0f} ms a page);"
        f" pages with an origin {numbers['with_origin']}",
        f"pass / baseline: {rate / base_rate:.2f}x",
    )


if __name__ == "__main__":
    main()
