"""Scores and relations on the Clough-Stevenson corpus of reused short answers.

Each of the 95 answers is checked as the article against its task's source as
the only candidate, with the shipped defaults. Reported per reuse label (cut,
light, heavy, non): mean and spread of ``copied_share``, ``jaccard`` and
``phrase_overlap``; the Spearman correlation of ``copied_share`` with the
reuse level; the copied-vs-not accuracy of the shipped decision (relation
verbatim, partial or rewrite = copied; cut and light are copies, non is not,
heavy is left out); and a confusion table of relation against label.

The data are read from ``../shared/data/clough-stevenson`` (or ``$PROVENANCE_DATA``)
and never copied into the project; without them the benchmark says so and stops.

    python -m benchmarks.accuracy.reuse
"""

from __future__ import annotations

import csv
import itertools
import math
import os
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from provenance import Article, Relation, Settings, check

LEVELS = {"cut": 3, "light": 2, "heavy": 1, "non": 0}
COPIES = frozenset({Relation.VERBATIM.value, Relation.PARTIAL.value, Relation.REWRITE.value})
RELATIONS = tuple(r.value for r in Relation)
SCORES = ("copied_share", "jaccard", "unquoted_copied_share", "phrase_overlap")
TARGET_ACCURACY = 0.95
CORPUS = "clough-stevenson"


def data_dir() -> Path:
    """The shared data folder: $PROVENANCE_DATA, else ../shared/data next to the project."""
    env = os.environ.get("PROVENANCE_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"


def read_text(path: Path) -> str:
    """The corpus mixes ASCII, UTF-8 and Windows-1252; Latin-1 decodes anything left."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def to_article(source: str, text: str) -> Article:
    """Non-blank lines as paragraphs (answers use both lines and blank-line blocks)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n").split("\n")
    return Article(source=source, paragraphs=tuple(line.strip() for line in lines if line.strip()))


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho: Pearson's r of the ranks, ties given their average rank."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return cov / var if var else 0.0


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spread(values: list[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "std": statistics.pstdev(values),
        "min": min(values),
        "max": max(values),
    }


def score_answers(folder: Path, settings: Settings | None = None) -> list[dict[str, Any]]:
    """One row per answer: file, task, label, the scores against its source, and the relation."""
    files = folder / "files"
    with (folder / "file_information.csv").open(newline="") as f:
        table = [row for row in csv.DictReader(f) if row["Category"] in LEVELS]
    sources = {
        task: to_article(f"orig_task{task}.txt", read_text(files / f"orig_task{task}.txt"))
        for task in sorted({row["Task"] for row in table})
    }
    rows = []
    for row in table:
        article = to_article(row["File"], read_text(files / row["File"]))
        report = check(article, [sources[row["Task"]]], settings=settings)
        match = report.matches[0]
        rows.append(
            {
                "file": row["File"],
                "task": row["Task"],
                "label": row["Category"],
                **{score: float(getattr(match, score)) for score in SCORES},
                "relation": report.relation.value,
            }
        )
    return rows


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for label in LEVELS:
        mine = [r for r in rows if r["label"] == label]
        labels[label] = {"n": len(mine), **{score: spread([r[score] for r in mine]) for score in SCORES}}
    confusion = {label: Counter(r["relation"] for r in rows if r["label"] == label) for label in LEVELS}
    judged = [r for r in rows if r["label"] != "heavy"]
    correct = sum((r["relation"] in COPIES) == (r["label"] in ("cut", "light")) for r in judged)
    means = [labels[label]["copied_share"]["mean"] for label in LEVELS]
    return {
        "answers": len(rows),
        "labels": labels,
        "spearman_copied_share": spearman([r["copied_share"] for r in rows], [LEVELS[r["label"]] for r in rows]),
        "spearman_jaccard": spearman([r["jaccard"] for r in rows], [LEVELS[r["label"]] for r in rows]),
        "spearman_phrase_overlap": spearman([r["phrase_overlap"] for r in rows], [LEVELS[r["label"]] for r in rows]),
        "copied_vs_not_accuracy": correct / len(judged) if judged else 0.0,
        "copied_vs_not_judged": len(judged),
        "monotone_copied_share": all(a > b for a, b in itertools.pairwise(means)),
        "confusion": {label: {rel: counts[rel] for rel in RELATIONS} for label, counts in confusion.items()},
        "relations": {
            rel: {
                "n": len(mine),
                **{score: spread([r[score] for r in mine]) for score in ("copied_share", "phrase_overlap")},
            }
            for rel in RELATIONS
            if (mine := [r for r in rows if r["relation"] == rel])
        },
        "errors": [
            {k: r[k] for k in ("file", "label", "relation", "copied_share", "unquoted_copied_share", "phrase_overlap")}
            for r in judged
            if (r["relation"] in COPIES) != (r["label"] in ("cut", "light"))
        ],
        "rows": rows,
    }


def run(data: Path | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """The figures as a dict; ``{"skipped": reason}`` when the corpus is not there.

    `settings` (default: the shipped ones) lets a calibration try other thresholds.
    """
    folder = (data or data_dir()) / CORPUS
    if not (folder / "file_information.csv").is_file():
        return {"skipped": f"reuse benchmark skipped: {folder} not found (set PROVENANCE_DATA to the data folder)"}
    return summarize(score_answers(folder, settings))


def render(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return str(result["skipped"])
    out = [f"Clough-Stevenson short-answer reuse corpus: {result['answers']} answers vs their task's source"]
    for score in SCORES:
        out += ["", f"{score:<22} {'mean':>6} {'std':>6} {'min':>6} {'max':>6}"]
        for label, stats in result["labels"].items():
            s = stats[score]
            n = f"{label} ({stats['n']})"
            out.append(f"  {n:<20} {s['mean']:>6.3f} {s['std']:>6.3f} {s['min']:>6.3f} {s['max']:>6.3f}")
    target = TARGET_ACCURACY
    out += [
        "",
        f"Spearman(copied_share, level cut=3..non=0): {result['spearman_copied_share']:.3f}"
        f"   (jaccard: {result['spearman_jaccard']:.3f}, phrase_overlap: {result['spearman_phrase_overlap']:.3f})",
        f"monotone copied_share means cut > light > heavy > non: {result['monotone_copied_share']}",
        f"copied-vs-not accuracy (cut+light vs non, {result['copied_vs_not_judged']} answers): "
        f"{result['copied_vs_not_accuracy']:.3f} (target >= {target})",
        "",
        "relation (columns) by label (rows):",
        f"{'':<6}" + "".join(f"{rel:>12}" for rel in RELATIONS),
    ]
    for label, counts in result["confusion"].items():
        out.append(f"{label:<6}" + "".join(f"{counts[rel]:>12}" for rel in RELATIONS))
    out += ["", "scores by relation (what each relation means here):"]
    for rel, stats in result["relations"].items():
        cs, ph = stats["copied_share"], stats["phrase_overlap"]
        out.append(
            f"  {rel:<12} {stats['n']:>3}   copied_share {cs['mean']:.3f} [{cs['min']:.3f}..{cs['max']:.3f}]"
            f"   phrase_overlap {ph['mean']:.3f} [{ph['min']:.3f}..{ph['max']:.3f}]"
        )
    if result["errors"]:
        out += ["", "misjudged (copied-vs-not):"]
        for e in result["errors"]:
            out.append(
                f"  {e['file']:<16} {e['label']:<6} {e['relation']:<12} copied {e['copied_share']:.3f}"
                f" unquoted {e['unquoted_copied_share']:.3f} phrases {e['phrase_overlap']:.3f}"
            )
    return "\n".join(out)


def main() -> int:
    print(render(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
