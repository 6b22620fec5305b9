"""Counts every format reports the same way, so their summaries never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from provenance.ci.model import CiRun, Finding
from provenance.model import Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)  # worst first, as summaries list them


@dataclass(frozen=True, slots=True)
class Summary:
    articles: int
    cached: int
    errored: int
    with_findings: int  # articles with at least one counted finding
    counted: int
    suppressed_inline: int
    suppressed_baseline: int
    failing: int
    by_severity: dict[Severity, int]

    @property
    def suppressed(self) -> int:
        return self.suppressed_inline + self.suppressed_baseline


def summarize(run: CiRun) -> Summary:
    counted = [f for r in run.results for f in r.counted]
    suppressed = [f for r in run.results for f in r.findings if f.suppressed is not None]
    return Summary(
        articles=len(run.results),
        cached=sum(r.cached for r in run.results),
        errored=len(run.errors),
        with_findings=sum(bool(r.counted) for r in run.results),
        counted=len(counted),
        suppressed_inline=sum(f.suppressed == "inline" for f in suppressed),
        suppressed_baseline=sum(f.suppressed != "inline" for f in suppressed),
        failing=len(run.failing),
        by_severity={s: sum(f.severity is s for f in counted) for s in SEVERITIES},
    )


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def headline(run: CiRun) -> str:
    """One sentence: what a reader of any format sees first or last."""
    s = summarize(run)
    if s.counted:
        text = f"Found {plural(s.counted, 'problem')} in {plural(s.with_findings, 'article')} of {s.articles} checked"
    else:
        text = f"No problems in {plural(s.articles, 'article')} checked"
    extra = []
    if s.suppressed:
        extra.append(f"{s.suppressed} suppressed")
    if s.errored:
        extra.append(f"{s.errored} could not be checked")
    return text + (f" ({', '.join(extra)})" if extra else "") + "."


def one_line(text: str) -> str:
    """Messages may hold newlines (evidence pasted from a page); line-based formats need them gone."""
    return " ".join(text.split())


def is_failing(run: CiRun, finding: Finding) -> bool:
    return finding.suppressed is None and run.fail_on is not None and finding.severity.rank >= run.fail_on.rank
