"""Main-text extraction measured on two sets of real pages: Zyte's article extraction benchmark (AEB,
181 pages) and the article pages of WCXB's development split (709 pages crawled in 2025).

Run from the project root: ``python -m benchmarks.accuracy.extraction [--set aeb|wcxb] [--worst N] [--workers N]``.

The data is read in place from ``../shared/data/aeb/`` and ``../shared/data/wcxb-dev/`` (or the same
under ``$PROVENANCE_DATA``); a set whose folder is absent is skipped with one line. Scored: the extractor ``check`` uses
(``sources.extract_bytes(..., "html", bundled(), url=<gold url>)``), its body being the article's
paragraphs joined by newlines; the title is left out, as the gold ``articleBody`` leaves out the
headline (no gold body starts with it; prepending it costs about 0.013 F1). A page that raises
``ProvenanceError`` counts as an empty prediction. In the same run, plain ``trafilatura.extract(html)``
with its defaults is scored the same way, as a check that the metric reproduces the published figure.

The metric, as the benchmark defines it (written here from that definition): tokens are the ``\\w+``
matches (Unicode, case kept); shingles are the 4-grams of tokens, counted as a multiset. Per page,
TP = sum of min(true, predicted) counts, FP = excess predicted, FN = missing true, scaled to sum to 1.
A page's precision and recall are 1 and 1 when it has no FP and no FN, 0 and 0 when it has no TP,
else TP/(TP+FP) and TP/(TP+FN); P and R are their means over pages, F1 = 2PR/(P+R) of the means.
Accuracy is the share of pages whose token list equals the truth's. A text of 1 to 3 tokens has one
shingle, the whole token tuple (so a short prediction still scores against a short truth); an empty
text has none.

Credit lines: lines of the gold body in which ``extract.credits.find_credits`` finds a credit line
or a wire dateline (kinds other than "reported" and "according-to", which are prose that merely
names an outlet), and copyright lines naming a wire ("© 2019 Associated Press"). One is kept when its
tokens appear, in order, in the predicted body or in a credit's text, or when the article's credits
name the same outlet.

WCXB's pages are scored against ``ground_truth.main_content`` with the same metric (its own word-level
F1 is not used, so that both sets are read alike). Also counted there: pages where provenance raises
``ProvenanceError`` while trafilatura finds text, and the ``with``/``without`` snippets, as the
benchmark's ``evaluate.py`` checks them (a snippet is found when it is a case-insensitive substring
of the extraction; here runs of white space count as one space on both sides): the share of
``with`` snippets found and of ``without`` snippets absent, over all snippets of the set.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_ENV = "PROVENANCE_DATA"
WCXB = "wcxb-dev"
SHINGLE = 4
# Published F1 (precision / recall where given) with this metric, from the benchmark's README.
PUBLISHED: tuple[tuple[str, float, float | None, float | None], ...] = (
    ("rs_trafilatura", 0.970, None, None),
    ("go_trafilatura", 0.960, None, None),
    ("trafilatura 2.0.0", 0.958, 0.938, 0.978),
    ("newspaper4k", 0.949, None, None),
    ("readability.js", 0.947, None, None),
    ("BeautifulSoup get_text", 0.665, 0.499, 0.994),
)
_PROSE_KINDS = frozenset({"reported", "according-to", "link"})
_TOKEN = re.compile(r"\w+")


def data_root() -> Path:
    """``$PROVENANCE_DATA``, else the workspace's ``shared/data`` beside the project."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"


# --- the metric -----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(words: Sequence[str], size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp else 0.0

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp else 0.0


def score_page(truth: str, predicted: str) -> PageScore:
    true_words, pred_words = tokens(truth), tokens(predicted)
    true_counts, pred_counts = shingles(true_words), shingles(pred_words)
    tp = sum((true_counts & pred_counts).values())
    fp = sum((pred_counts - true_counts).values())
    fn = sum((true_counts - pred_counts).values())
    total = tp + fp + fn
    scale = 1 / total if total else 0.0
    return PageScore(tp * scale, fp * scale, fn * scale, true_words == pred_words)


def summarise(scores: Sequence[PageScore]) -> dict[str, float]:
    n = len(scores)
    precision = sum(s.precision for s in scores) / n if n else 0.0
    recall = sum(s.recall for s in scores) / n if n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(s.exact for s in scores) / n if n else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": accuracy, "pages": n}


# --- credit lines ---------------------------------------------------------------------------------


def credit_lines(body: str) -> list[tuple[str, str]]:
    """(line, credited name) for each line of a gold body holding a credit line, a wire dateline or a wire's
    copyright notice."""
    from provenance.extract.chrome import copyright_holder
    from provenance.extract.credits import find_credits
    from provenance.publishers import bundled

    registry = bundled()
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    _, credits = find_credits(lines, {}, registry)
    found = [(c.text, c.name) for c in credits if c.kind not in _PROSE_KINDS]
    for line in lines:
        holder = copyright_holder(line)
        pub = registry.by_name(holder) if holder else None
        if holder and pub is not None and pub.wire:
            found.append((line, holder))
    return found


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    return bool(needle) and f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def credit_kept(line: str, name: str, predicted: str, credits: Sequence[tuple[str, str]]) -> bool:
    """`credits` are the article's (name, text) pairs."""
    from provenance.publishers import bundled, name_key

    needle = tokens(line)
    if _contains(tokens(predicted), needle) or any(_contains(tokens(text), needle) for _, text in credits):
        return True
    registry = bundled()
    outlet = registry.by_name(name)
    named = [(found, registry.by_name(found)) for found, _ in credits]
    return any(name_key(found) == name_key(name) or (outlet is not None and pub is outlet) for found, pub in named)


# --- running the extractors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    """A page of a set and what it should give."""

    page_id: str
    path: Path  # the gzipped HTML
    url: str
    body: str
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageRun:
    page_id: str
    predicted: str
    credits: tuple[tuple[str, str], ...]
    error: str | None
    seconds: float
    baseline: str
    baseline_seconds: float


@cache
def _registry() -> Any:
    from provenance.publishers import bundled

    return bundled()


def extract_page(page_id: str, data: bytes, url: str) -> PageRun:
    """Both extractors on one page's bytes."""
    import trafilatura

    from provenance.errors import ProvenanceError
    from provenance.inputs import extract_bytes

    start = time.perf_counter()
    error: str | None = None
    try:
        article = extract_bytes(page_id, data, "html", _registry(), url=url)
        predicted = "\n".join(article.paragraphs)
        credits = tuple((c.name, c.text) for c in article.credits)
    except ProvenanceError as exc:
        predicted, credits, error = "", (), str(exc)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    baseline = trafilatura.extract(data.decode("utf-8", errors="replace")) or ""
    return PageRun(page_id, predicted, credits, error, seconds, baseline, time.perf_counter() - start)


def _run_one(gold: Gold) -> PageRun:
    return extract_page(gold.page_id, gzip.decompress(gold.path.read_bytes()), gold.url)


def run_pages(pages: Sequence[Gold], workers: int | None = None) -> tuple[list[PageRun], float]:
    """Both extractors on each page, on a pool of processes; the runs in the pages' order, and the wall clock."""
    start = time.perf_counter()
    # spawned, not forked: the test suite calls this with its servers' threads running
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context) as pool:
        runs = list(pool.map(_run_one, pages, chunksize=2))
    return runs, time.perf_counter() - start


def aeb_pages(data_dir: Path) -> list[Gold]:
    aeb = data_dir / "aeb"
    truth: dict[str, dict[str, str]] = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Gold(page_id, aeb / "html" / f"{page_id}.html.gz", gold["url"], gold["articleBody"])
        for page_id, gold in sorted(truth.items())
    ]


def wcxb_pages(data_dir: Path, every: int = 1) -> list[Gold]:
    """The pages of ``wcxb-dev``; with ``every`` > 1, every so many of them in the order of their ids."""
    wcxb = data_dir / WCXB
    pages = []
    for path in sorted((wcxb / "ground-truth").glob("*.json"))[::every]:
        record = json.loads(path.read_text(encoding="utf-8"))
        gold = record["ground_truth"]
        pages.append(
            Gold(
                path.stem,
                wcxb / "html" / f"{path.stem}.html.gz",
                record.get("url") or "",
                gold.get("main_content") or "",
                tuple(gold.get("with") or ()),
                tuple(gold.get("without") or ()),
            )
        )
    return pages


def _summary(pages: Sequence[Gold], runs: Sequence[PageRun], wall: float) -> tuple[dict[str, Any], list[PageScore]]:
    ours = [score_page(gold.body, page.predicted) for gold, page in zip(pages, runs, strict=True)]
    theirs = [score_page(gold.body, page.baseline) for gold, page in zip(pages, runs, strict=True)]
    n = len(runs)
    return {
        "provenance": summarise(ours),
        "trafilatura": summarise(theirs),
        "errors": sum(page.error is not None for page in runs),
        "errors_where_trafilatura_found_text": sum(bool(p.error and p.baseline.strip()) for p in runs),
        "ms_per_page": 1000 * sum(page.seconds for page in runs) / n if n else 0.0,
        "baseline_ms_per_page": 1000 * sum(page.baseline_seconds for page in runs) / n if n else 0.0,
        "wall_seconds": wall,
    }, ours


def _row(gold: Gold, page: PageRun, ours: PageScore) -> dict[str, Any]:
    theirs = score_page(gold.body, page.baseline)
    return {
        "id": page.page_id,
        "url": gold.url,
        "precision": ours.precision,
        "recall": ours.recall,
        "baseline_precision": theirs.precision,
        "baseline_recall": theirs.recall,
        "error": page.error,
        "ms": page.seconds * 1000,
    }


def run(data_dir: Path, workers: int | None = None) -> dict[str, Any]:
    """Score both extractors on ``data_dir/aeb``; the figures, and one row per page."""
    pages = aeb_pages(data_dir)
    runs, wall = run_pages(pages, workers)
    result, ours = _summary(pages, runs, wall)
    rows: list[dict[str, Any]] = []
    lines_total = lines_kept = pages_with = pages_all_kept = 0
    for gold, page, score in zip(pages, runs, ours, strict=True):
        found = credit_lines(gold.body)
        kept = [credit_kept(line, name, page.predicted, page.credits) for line, name in found]
        lines_total += len(found)
        lines_kept += sum(kept)
        pages_with += bool(found)
        pages_all_kept += bool(found) and all(kept)
        rows.append({**_row(gold, page, score), "credit_lines": len(found), "credit_lines_kept": sum(kept)})
    return {
        **result,
        "published": {name: {"f1": f1, "precision": p, "recall": r} for name, f1, p, r in PUBLISHED},
        "credit_lines": {
            "lines": lines_total,
            "lines_kept": lines_kept,
            "pages": pages_with,
            "pages_all_kept": pages_all_kept,
        },
        "per_page": rows,
    }


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def snippets_found(text: str, snippets: Sequence[str]) -> int:
    """How many of the snippets the text holds (case and runs of white space aside)."""
    flat = _flat(text)
    return sum(_flat(s) in flat for s in snippets if s.strip())


def run_wcxb(data_dir: Path, workers: int | None = None, every: int = 1) -> dict[str, Any]:
    """Score both extractors on ``data_dir/wcxb-dev`` (every ``every``-th page); the figures, and one row per page."""
    pages = wcxb_pages(data_dir, every)
    runs, wall = run_pages(pages, workers)
    result, ours = _summary(pages, runs, wall)
    snippets = {"with": 0, "with_found": 0, "without": 0, "without_found": 0}
    baseline_snippets = dict.fromkeys(snippets, 0)
    rows: list[dict[str, Any]] = []
    for gold, page, score in zip(pages, runs, ours, strict=True):
        for counts, text in ((snippets, page.predicted), (baseline_snippets, page.baseline)):
            counts["with"] += sum(1 for s in gold.with_snippets if s.strip())
            counts["with_found"] += snippets_found(text, gold.with_snippets)
            counts["without"] += sum(1 for s in gold.without_snippets if s.strip())
            counts["without_found"] += snippets_found(text, gold.without_snippets)
        rows.append(
            {
                **_row(gold, page, score),
                "trafilatura_found_text": bool(page.baseline.strip()),
                "with_missed": len(gold.with_snippets) - snippets_found(page.predicted, gold.with_snippets),
                "without_found": snippets_found(page.predicted, gold.without_snippets),
            }
        )
    return {**result, "snippets": snippets, "baseline_snippets": baseline_snippets, "per_page": rows}


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def _print_scores(result: dict[str, Any]) -> None:
    print(f"{'extractor':<34} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6}")
    extractors = (("provenance (extract_bytes)", "provenance"), ("trafilatura.extract, this run", "trafilatura"))
    for label, key in extractors:
        s = result[key]
        print(f"{label:<34} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f}")


def _print_times(result: dict[str, Any]) -> None:
    print(
        f"errors (empty predictions): {result['errors']}, "
        f"{result['errors_where_trafilatura_found_text']} where trafilatura found text; "
        f"provenance {result['ms_per_page']:.0f} ms/page, trafilatura {result['baseline_ms_per_page']:.0f} ms/page; "
        f"wall clock {result['wall_seconds']:.1f} s"
    )


def _print_worst(result: dict[str, Any], count: int) -> None:
    rows = sorted(result["per_page"], key=lambda r: _f1(r["precision"], r["recall"]))
    for row in rows[:count]:
        print(
            f"  F1 {_f1(row['precision'], row['recall']):.3f} P {row['precision']:.3f} R {row['recall']:.3f} "
            f"(trafilatura P {row['baseline_precision']:.3f} R {row['baseline_recall']:.3f}) "
            f"{row['id'][:12]} {row['url']}" + (f" [{row['error']}]" if row["error"] else "")
        )


def report_aeb(data_dir: Path, workers: int | None, worst: int) -> None:
    if not (data_dir / "aeb" / "ground-truth.json").is_file():
        print(f"skipped: no article extraction benchmark at {data_dir / 'aeb'} (set {DATA_ENV} to its parent)")
        return
    result = run(data_dir, workers)
    print(f"article extraction benchmark: {result['provenance']['pages']} pages from {data_dir / 'aeb'}")
    _print_scores(result)
    for name, fig in result["published"].items():
        p = f"{fig['precision']:6.3f}" if fig["precision"] is not None else f"{'':6}"
        r = f"{fig['recall']:6.3f}" if fig["recall"] is not None else f"{'':6}"
        print(f"{name + ' (published)':<34} {fig['f1']:6.3f} {p} {r}")
    credit = result["credit_lines"]
    print(f"credit lines kept: {_share(credit['lines_kept'], credit['lines'])} lines; ", end="")
    print(f"pages keeping all of theirs: {_share(credit['pages_all_kept'], credit['pages'])}")
    _print_times(result)
    _print_worst(result, worst)


def report_wcxb(data_dir: Path, workers: int | None, worst: int) -> None:
    if not (data_dir / WCXB / "ground-truth").is_dir():
        print(f"skipped: no WCXB development set at {data_dir / WCXB} (set {DATA_ENV} to its parent)")
        return
    result = run_wcxb(data_dir, workers)
    print(f"WCXB development set, articles: {result['provenance']['pages']} pages from {data_dir / WCXB}")
    _print_scores(result)
    for label, key in (("provenance", "snippets"), ("trafilatura", "baseline_snippets")):
        counts = result[key]
        print(
            f"{label} snippets: 'with' found {_share(counts['with_found'], counts['with'])}; 'without' absent "
            f"{_share(counts['without'] - counts['without_found'], counts['without'])}"
        )
    _print_times(result)
    _print_worst(result, worst)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--set", choices=("aeb", "wcxb", "both"), default="both", help="which pages (default: both)")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    data_dir = data_root()
    if args.set in ("aeb", "both"):
        report_aeb(data_dir, args.workers, args.worst)
    if args.set == "both":
        print()
    if args.set in ("wcxb", "both"):
        report_wcxb(data_dir, args.workers, args.worst)
    return 0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    sys.exit(main())
