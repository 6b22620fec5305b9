"""Counts every format reports the same way, so their summaries never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.ci.model import CiRun, Finding
from provenance.model import Report, Severity

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


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text quoted from a page may hold terminal escapes; a report must not replay them."""
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """Messages may hold newlines (evidence pasted from a page); line-based formats need them gone."""
    return printable(" ".join(text.split()))


def is_failing(run: CiRun, finding: Finding) -> bool:
    return finding.suppressed is None and run.fail_on is not None and finding.severity.rank >= run.fail_on.rank


def article_url(report: Report | None) -> str | None:
    if report is None:
        return None
    return report.article.canonical_url or report.article.url


def origin_url(report: Report | None) -> str | None:
    if report is None or report.origin is None:
        return None
    origin = report.origin.article
    if origin is None:
        return None  # known only from credits: no page to point at
    return origin.canonical_url or origin.url or origin.source


def copied_share(report: Report | None) -> float | None:
    if report is None or report.origin is None or report.origin.match is None:
        return None
    return round(report.origin.match.copied_share, 4)


def is_url(path: str) -> bool:
    """Locations are repository paths, or the URL itself for an article checked from the web."""
    return "://" in path


def in_order(findings: tuple[Finding, ...]) -> list[Finding]:
    """As a reader goes through the file: by line, then column, then rule."""
    return sorted(findings, key=lambda f: (f.location.line, f.location.column, f.rule))
