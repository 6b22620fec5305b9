"""Articles per second, from text to MinHash signatures and LSH band keys.

Compares provenance's numpy paths (the index's batch `passage_band_keys`, in
one process and in a pool of workers; the 128-permutation fingerprints) with
datasketch's MinHash fed the same 5-word shingles one at a time (`update`) and
all at once (`update_batch`). Run from the project root:

    python benchmarks/bench_signatures.py [--articles N]

Timings are printed, never asserted; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from provenance.fingerprint.hashing import shingle_ids, token_hashes
from provenance.fingerprint.keys import LshParams, band_keys, passage_band_keys
from provenance.fingerprint.minhash import Signature, minhash
from provenance.fingerprint.signatures import Fingerprint, fingerprint_batch, fingerprint_paragraphs
from provenance.model import ShingleParams
from provenance.normalize import tokenize

try:
    from benchmarks.generate import generate_articles
except ModuleNotFoundError:  # run as a script: only benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.generate import generate_articles

PARAMS = ShingleParams()  # 5-word shingles, 128 permutations, seed 1
LSH = LshParams()  # the same shingles; the index's bands and rows from the first permutations
_WORD = re.compile(r"\w+")

Article = list[str]
Method = Callable[[Article], object]
Process = Callable[[Sequence[Article]], object]


def article_text(paragraphs: Article) -> str:
    return "\n\n".join(paragraphs)  # as provenance.model.Article.text joins them


def provenance_fingerprint(paragraphs: Article) -> Fingerprint:
    """Whole-text signature plus one per passage, as the pipeline computes it."""
    return fingerprint_paragraphs(tuple(paragraphs), PARAMS)


def provenance_whole_text(paragraphs: Article) -> Signature:
    words = tokenize(article_text(paragraphs)).words
    return minhash(shingle_ids(token_hashes(words), PARAMS.size), PARAMS)


def provenance_band_keys(articles: Sequence[Article]) -> list[npt.NDArray[np.uint32]]:
    """What the index computes: LSH band keys of every passage, many articles per call."""
    return passage_band_keys(articles, LSH)


def provenance_fingerprint_batch(articles: Sequence[Article]) -> list[Fingerprint]:
    return fingerprint_batch(articles, PARAMS)


def band_keys_chunk(articles: Sequence[Article]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """A pool worker's task: the keys of all its articles as one array and end offsets (cheap to pickle)."""
    keys = passage_band_keys(articles, LSH)
    return np.concatenate(keys), np.cumsum([len(k) for k in keys])


def pooled_band_keys(
    pool: multiprocessing.pool.Pool, chunk: int, articles: Sequence[Article]
) -> list[npt.NDArray[np.uint32]]:
    """passage_band_keys over a pool: articles sent in chunks, keys sent back and split per article."""
    chunks = [articles[i : i + chunk] for i in range(0, len(articles), chunk)]
    keys: list[npt.NDArray[np.uint32]] = []
    for flat, ends in pool.map(band_keys_chunk, chunks):
        keys += np.split(flat, ends[:-1])
    return keys


def each(method: Method) -> Process:
    """A per-article method as a process over many articles."""

    def process(articles: Sequence[Article]) -> None:
        for paragraphs in articles:
            method(paragraphs)

    return process


def baseline_shingles(paragraphs: Article) -> list[bytes]:
    """Lower-cased `\\w+` tokens, five at a time, joined by a space (short text: one shingle)."""
    tokens = _WORD.findall(article_text(paragraphs).lower())
    k = PARAMS.size
    return [" ".join(tokens[i : i + k]).encode() for i in range(max(1, len(tokens) - k + 1))]


def datasketch_update(paragraphs: Article) -> MinHash:
    m = MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed)
    for shingle in baseline_shingles(paragraphs):
        m.update(shingle)
    return m


def datasketch_update_batch(paragraphs: Article) -> MinHash:
    m = MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed)
    m.update_batch(baseline_shingles(paragraphs))
    return m


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed)


def datasketch_update_batch_shared(paragraphs: Article) -> MinHash:
    """update_batch without drawing the permutations anew for every MinHash (~0.1 ms each)."""
    m = MinHash(seed=PARAMS.seed, permutations=_template().permutations, scheme="affine32")
    m.update_batch(baseline_shingles(paragraphs))
    return m


@dataclass(frozen=True, slots=True)
class Result:
    method: str
    articles: int
    words: float  # mean words per timed article
    seconds: tuple[float, ...]  # one per repeat
    workers: int = 1

    @property
    def rate(self) -> float:
        """Articles per second in the fastest repeat (the least disturbed by other processes)."""
        return self.articles / min(self.seconds)

    @property
    def per_core(self) -> float:
        return self.rate / self.workers

    @property
    def spread(self) -> float:
        return max(self.seconds) / min(self.seconds) - 1


def word_count(paragraphs: Article) -> int:
    return sum(len(p.split()) for p in paragraphs)


def mean_words(articles: Sequence[Article]) -> float:
    return sum(map(word_count, articles)) / len(articles)


def subsample(articles: Sequence[Article], n: int) -> list[Article]:
    """`n` articles at evenly spaced length quantiles, so their lengths match the whole set's."""
    by_length = sorted(articles, key=word_count)
    n = min(n, len(articles))
    return [by_length[(2 * i + 1) * len(articles) // (2 * n)] for i in range(n)]


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    process: Process  # handles all the articles, one at a time or in batches
    articles: Sequence[Article]
    workers: int = 1

    def time(self) -> float:
        start = time.perf_counter()
        self.process(self.articles)
        return time.perf_counter() - start


def run(cases: Sequence[Case], repeat: int) -> list[Result]:
    """Time every case `repeat` times, round-robin, so a slow spell hits all of them alike."""
    for case in cases:
        case.process(case.articles[:100])  # warm-up: imports, caches, permutation tables, workers
    seconds: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):
        for case, times in zip(cases, seconds, strict=True):
            times.append(case.time())
    return [
        Result(c.name, len(c.articles), mean_words(c.articles), tuple(t), c.workers)
        for c, t in zip(cases, seconds, strict=True)
    ]


def check(articles: Sequence[Article]) -> list[str]:
    """Correctness notes (not timings): do the paths agree on what they compute?"""
    same_whole = all(np.array_equal(provenance_fingerprint(a).signature, provenance_whole_text(a)) for a in articles)
    same_shingles = all(len(set(baseline_shingles(a))) == provenance_fingerprint(a).shingle_count for a in articles)
    # provenance's MinHash step reproduces datasketch's affine32 scheme when
    # datasketch is fed the same 32-bit values (the high half of each shingle id).
    same_scheme = True
    for a in articles:
        ids = shingle_ids(token_hashes(tokenize(article_text(a)).words), PARAMS.size)
        m = MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed, hashfunc=int)
        m.update_batch((ids >> np.uint64(32)).tolist())
        same_scheme &= np.array_equal(m.hashvalues, provenance_whole_text(a))
    same_baselines = all(
        np.array_equal(f(a).hashvalues, datasketch_update_batch(a).hashvalues)
        for a in articles
        for f in (datasketch_update, datasketch_update_batch_shared)
    )
    # The index's batch keys are the band keys of the per-article passage signatures.
    same_keys = all(
        np.array_equal(keys, np.unique(band_keys(np.stack(provenance_fingerprint(a).passages), LSH)))
        for a, keys in zip(articles, provenance_band_keys(articles), strict=True)
    )
    same_batch = all(
        np.array_equal(fp.signature, provenance_fingerprint(a).signature)
        for a, fp in zip(articles, provenance_fingerprint_batch(articles), strict=True)
    )
    return [
        f"passage_band_keys == band keys of fingerprint_paragraphs().passages: {same_keys}",
        f"fingerprint_batch == fingerprint_paragraphs: {same_batch}",
        f"whole-text-only signature == fingerprint_paragraphs().signature: {same_whole}",
        f"distinct baseline shingles == Fingerprint.shingle_count: {same_shingles}",
        f"provenance minhash == datasketch affine32 on the same 32-bit ids: {same_scheme}",
        f"datasketch update == update_batch (also with permutations reused): {same_baselines}",
    ]


def environment() -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "n/a"
    return [
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}",
        f"numpy {np.__version__}, datasketch {version('datasketch')}",
        f"CPUs: os.cpu_count()={os.cpu_count()}, usable={affinity}",
    ]


def table(results: Sequence[Result], per_shingle: Result, batch: Result) -> list[str]:
    head = (
        f"{'method':<46} {'articles':>8} {'words':>5} {'articles/s':>10} {'per core':>9} {'spread':>6}"
        f" {'vs A':>7} {'vs B':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.method:<46} {r.articles:>8} {r.words:>5.0f} {r.rate:>10.1f} {r.per_core:>9.1f} {r.spread:>6.0%}"
            f" {r.per_core / per_shingle.per_core:>6.1f}x {r.per_core / batch.per_core:>6.2f}x"
        )
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Articles per second, text to MinHash signature.")
    add = parser.add_argument
    add("--articles", type=int, default=10_000, help="articles generated and timed (provenance)")
    add("--per-shingle", type=int, default=300, help="articles timed with MinHash.update (A)")
    add("--batch", type=int, default=1_000, help="articles timed with MinHash.update_batch (B)")
    add("--repeat", type=int, default=3, help="timed passes per method; the fastest is reported")
    add("--seed", type=int, default=0, help="generator seed")
    add("--check", type=int, default=50, help="articles used for the agreement checks")
    add("--workers", type=int, default=2, help="processes for the pooled passage_band_keys row")
    add("--chunk", type=int, default=500, help="articles per task sent to a worker")
    args = parser.parse_args(argv)
    if min(args.articles, args.per_shingle, args.batch, args.repeat, args.check, args.workers, args.chunk) < 1:
        parser.error("counts must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    print(*environment(), sep="\n")
    start = time.perf_counter()
    articles = generate_articles(args.articles, seed=args.seed)
    elapsed = time.perf_counter() - start
    paragraphs = sum(map(len, articles)) / len(articles)
    print(
        f"generated {len(articles)} articles (seed {args.seed}; on average"
        f" {mean_words(articles):.0f} words in {paragraphs:.1f} paragraphs) in {elapsed:.2f} s\n"
    )
    print(*check(articles[: args.check]), sep="\n", end="\n\n")
    few, some = subsample(articles, args.per_shingle), subsample(articles, args.batch)
    with multiprocessing.Pool(args.workers) as pool:
        results = run(
            [
                Case(f"provenance passage_band_keys (LSH {LSH.bands}x{LSH.rows})", provenance_band_keys, articles),
                Case(
                    f"provenance passage_band_keys, {args.workers} processes",
                    partial(pooled_band_keys, pool, args.chunk),
                    articles,
                    workers=args.workers,
                ),
                Case("provenance fingerprint_batch", provenance_fingerprint_batch, articles),
                Case("provenance fingerprint_paragraphs", each(provenance_fingerprint), articles),
                Case("provenance whole text only", each(provenance_whole_text), articles),
                Case("datasketch update_batch, permutations reused", each(datasketch_update_batch_shared), some),
                Case("datasketch MinHash.update_batch (B)", each(datasketch_update_batch), some),
                Case("datasketch MinHash.update per shingle (A)", each(datasketch_update), few),
            ],
            args.repeat,
        )
    per_shingle, batch = results[-1], results[-2]
    print(*table(results, per_shingle, batch), sep="\n")
    print(
        f"\nbest of {args.repeat} passes; spread = slowest pass / fastest pass - 1;"
        " per core = articles/s / processes; vs A and vs B compare per-core rates"
    )


if __name__ == "__main__":
    main()
