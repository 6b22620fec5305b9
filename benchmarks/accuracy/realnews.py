"""Copy or independent on real news: same-event page pairs read and labelled by a person.

Each labelled pair of ``realnews-dev`` (real excerpts of wire copies, aggregator copies and
independent reports of 22 events; see its README) is checked both ways, ``check A --candidate B``
and ``check B --candidate A``, each page loaded as a text file is. A check calls the pair a copy
when the candidate's own relation to the article is ``verbatim``, ``partial``, ``rewrite`` or
``sibling`` (docs/relations.md). Reported: precision, recall and F1 of "copy" over the directed
checks and over pairs (a pair is called a copy when either check says so); independent pairs
called ``rewrite``; every false and missed copy with its relation and scores; and, in the same
run, the floor any method must beat: plain 5-gram containment (the larger of the two containments
at least 0.15). Then the reliability of the confidences: directed checks binned by the reported
origin's confidence, and by the candidate's ``copying`` confidence, against the share that are
labelled copies.

The data are read in place from ``../shared/data/realnews-dev`` (or ``$PROVENANCE_DATA``, or
``--dir``, for another set of the same layout) and never copied into the project.

    python -m benchmarks.accuracy.realnews [--dir PATH] [--list N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.accuracy.reuse import data_dir
from provenance import Article, check
from provenance.inputs import extract_bytes
from provenance.model import Match, Relation, Report
from provenance.origin.relation import candidate_relation, classify, copied_text, copying_confidence
from provenance.publishers import bundled

SET = "realnews-dev"
COPY_RELATIONS = frozenset({"verbatim", "partial", "rewrite", "sibling"})
TARGETS = {"precision": 0.95, "recall": 0.90, "independent_as_rewrite": 0}
BASELINE_CONTAINMENT = 0.15
LABELS = ("copy", "independent")
BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def load_pages(folder: Path) -> dict[tuple[str, str], Article]:
    """Every page of every story, as `provenance check` loads a text file."""
    registry = bundled()
    pages: dict[tuple[str, str], Article] = {}
    for story in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in sorted(story.glob("*.json")):
            if path.name == "labels.json":
                continue
            text = json.loads(path.read_text(encoding="utf-8"))["text"]
            name = f"{story.name}/{path.stem}.txt"
            pages[story.name, path.stem] = extract_bytes(name, text.encode("utf-8"), "text", registry)
    return pages


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def containment(a: Article, b: Article) -> float:
    """The baseline: the larger share of either page's 5-grams that the other page has."""
    sa, sb = _shingles(a.text), _shingles(b.text)
    shared = len(sa & sb)
    return max(shared / max(1, len(sa)), shared / max(1, len(sb)))


def _match(report: Report) -> Match:
    return report.matches[0]


def judge(pair: dict[str, Any], article: Article, candidate: Article) -> dict[str, Any]:
    """One directed check and what it says about the pair."""
    report = check(article, [candidate])
    match = _match(report)
    relation = candidate_relation(report, match)
    origin = report.origin
    return {
        "story": pair["story"],
        "article": article.source,
        "candidate": candidate.source,
        "label": pair["label"],
        "relation": relation,
        "called_copy": relation in COPY_RELATIONS,
        "report_relation": report.relation.value,
        "origin_confidence": origin.confidence if origin else None,
        "copying": copying_confidence(match, classify(match)),
        "copied_share": round(match.copied_share, 3),
        "reproduced_share": round(match.reproduced_share, 3),
        "copied_text": round(copied_text(match), 3),
        "aligned": len(match.alignment.pairs),
        "aligned_share": round(max(match.alignment.article_share, match.alignment.candidate_share), 3),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _score(called: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(c and g for c, g in zip(called, gold, strict=True))
    fp = sum(c and not g for c, g in zip(called, gold, strict=True))
    fn = sum(g and not c for c, g in zip(called, gold, strict=True))
    return _prf(tp, fp, fn)


def reliability(values: Sequence[float | None], gold: Sequence[bool]) -> list[dict[str, Any]]:
    """Checks binned by a confidence, each bin's count and the share labelled copy."""
    rows = []
    none = [g for v, g in zip(values, gold, strict=True) if v is None]
    if none:
        rows.append({"bin": "none", "n": len(none), "copies": sum(none)})
    for lo, hi in itertools.pairwise(BINS):
        mine = [g for v, g in zip(values, gold, strict=True) if v is not None and lo <= v < hi + (hi == 1.0)]
        if mine:
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(mine), "copies": sum(mine)})
    for row in rows:
        row["observed"] = row["copies"] / row["n"]
    return rows


def run(folder: Path | None = None) -> dict[str, Any]:
    folder = folder or data_dir() / SET
    if not (folder / "pairs.json").is_file():
        return {"skipped": f"real-news benchmark skipped: {folder} not found (set PROVENANCE_DATA or --dir)"}
    start = time.perf_counter()
    pages = load_pages(folder)
    pairs = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
    rows, pair_rows = [], []
    for pair in pairs:
        a, b = pages[pair["story"], str(pair["a"])], pages[pair["story"], str(pair["b"])]
        both = [judge(pair, a, b), judge(pair, b, a)]
        rows += both
        pair_rows.append(
            {
                "label": pair["label"],
                "called_copy": any(r["called_copy"] for r in both),
                "baseline_copy": containment(a, b) >= BASELINE_CONTAINMENT,
            }
        )
    gold = [r["label"] == "copy" for r in rows]
    pair_gold = [p["label"] == "copy" for p in pair_rows]
    return {
        "set": folder.name,
        "pairs": len(pairs),
        "copy_pairs": sum(pair_gold),
        "checks": len(rows),
        "seconds": round(time.perf_counter() - start, 1),
        "directed": _score([r["called_copy"] for r in rows], gold),
        "by_pair": _score([p["called_copy"] for p in pair_rows], pair_gold),
        "baseline_by_pair": _score([p["baseline_copy"] for p in pair_rows], pair_gold),
        "independent_as_rewrite": sum(r["label"] != "copy" and r["relation"] == Relation.REWRITE.value for r in rows),
        "relations": {
            label: dict(Counter(r["relation"] for r in rows if r["label"] == label))
            for label in ("copy", "independent")
        },
        "false_copies": [r for r in rows if r["called_copy"] and r["label"] != "copy"],
        "missed_copies": [r for r in rows if not r["called_copy"] and r["label"] == "copy"],
        "origin_reliability": reliability([r["origin_confidence"] for r in rows], gold),
        "copying_reliability": reliability([r["copying"] or None for r in rows], gold),
    }


def meets_targets(result: dict[str, Any]) -> dict[str, bool]:
    d = result["directed"]
    return {
        "precision": d["precision"] >= TARGETS["precision"],
        "recall": d["recall"] >= TARGETS["recall"],
        "independent_as_rewrite": result["independent_as_rewrite"] <= TARGETS["independent_as_rewrite"],
    }


def _line(name: str, s: dict[str, float]) -> str:
    return (
        f"  {name:<34} precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}"
        f"   (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
    )


def _row(r: dict[str, Any]) -> str:
    return (
        f"  {r['article']:<48} vs {r['candidate'].split('/')[-1]:<7} {r['relation']:<12}"
        f" copied_text {r['copied_text']:.3f} copied {r['copied_share']:.3f} reproduced {r['reproduced_share']:.3f}"
        f" aligned {r['aligned']} ({r['aligned_share']:.2f})"
    )


def render(result: dict[str, Any], listed: int = 40) -> str:
    if "skipped" in result:
        return str(result["skipped"])
    out = [
        f"{result['set']}: {result['pairs']} labelled pairs ({result['copy_pairs']} copy), "
        f"{result['checks']} directed checks, {result['seconds']} s",
        "",
        "copy vs independent:",
        _line("provenance, directed checks", result["directed"]),
        _line("provenance, pairs (either direction)", result["by_pair"]),
        _line(f"5-gram containment >= {BASELINE_CONTAINMENT}, pairs", result["baseline_by_pair"]),
        f"  independent checks called rewrite: {result['independent_as_rewrite']}",
        "",
        "relations by label (directed checks):",
    ]
    for label, counts in result["relations"].items():
        out.append(f"  {label:<12} " + "  ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    met = meets_targets(result)
    out += ["", "targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'} ({TARGETS[k]})" for k, v in met.items())]
    for title, key in (("false copies", "false_copies"), ("missed copies", "missed_copies")):
        rows = result[key]
        out += ["", f"{title} ({len(rows)}):"]
        out += [_row(r) for r in rows[:listed]]
        if len(rows) > listed:
            out.append(f"  ... {len(rows) - listed} more")
    for title, key in (
        ("reliability of the origin's confidence (directed checks; none = no origin reported)", "origin_reliability"),
        ("reliability of the candidate's copying confidence (none = no copy relation)", "copying_reliability"),
    ):
        out += ["", title, f"  {'confidence':<11} {'checks':>7} {'copies':>7} {'observed':>9}"]
        for row in result[key]:
            out.append(f"  {row['bin']:<11} {row['n']:>7} {row['copies']:>7} {row['observed']:>9.3f}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy.realnews", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help=f"a set of the {SET} layout (default: the shared data's {SET})")
    parser.add_argument("--list", type=int, default=40, help="false and missed copies listed (default 40)")
    args = parser.parse_args(argv)
    print(render(run(args.dir), args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
