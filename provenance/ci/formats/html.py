"""One HTML page for a whole run: the summary, then a section per file with findings holding that
article's check report (provenance/report/html.py, whose template, escaping and safety rules it shares)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from provenance.ci.formats.summary import SEVERITIES, Summary, headline, in_order, is_failing, summarize
from provenance.ci.model import ArticleResult, CiRun, Finding
from provenance.report.html import ReportView, page, report_view, rule_url


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    id: str
    failing: bool
    rule_url: str


@dataclass(frozen=True, slots=True)
class FileView:
    result: ArticleResult
    id: str | None  # its section's id; None for a clean file, which has no section
    findings: tuple[FindingView, ...]
    report: ReportView | None


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    name: str
    url: str
    counted: int
    failing: int
    inline: int
    baseline: int


@dataclass(frozen=True, slots=True)
class RunView:
    run: CiRun
    summary: Summary
    headline: str
    status: str  # "failing", "errored", "passing"
    by_severity: tuple[tuple[str, int, int, int], ...]  # severity, counted, failing, suppressed
    by_rule: tuple[RuleCount, ...]
    files: tuple[FileView, ...]


def file_view(run: CiRun, result: ArticleResult, number: int) -> FileView:
    if not result.findings and result.error is None:
        return FileView(result, None, (), None)
    section = f"file-{number}"
    findings = tuple(
        FindingView(f, f"{section}-finding-{n}", is_failing(run, f), rule_url(f.rule))
        for n, f in enumerate(in_order(result.findings), 1)
    )
    report = report_view(result.report, prefix=f"{section}-") if result.report is not None else None
    return FileView(result, section, findings, report)


def rule_counts(run: CiRun) -> tuple[RuleCount, ...]:
    findings = [f for r in run.results for f in r.findings]
    rules = sorted({(f.rule, f.name) for f in findings})
    return tuple(
        RuleCount(
            rule,
            name,
            rule_url(rule),
            sum(f.rule == rule and f.suppressed is None for f in findings),
            sum(f.rule == rule and is_failing(run, f) for f in findings),
            sum(f.rule == rule and f.suppressed == "inline" for f in findings),
            sum(f.rule == rule and f.suppressed not in (None, "inline") for f in findings),
        )
        for rule, name in rules
    )


def run_view(run: CiRun) -> RunView:
    s = summarize(run)
    findings = [f for r in run.results for f in r.findings]
    by_severity = tuple(
        (
            sev.value,
            s.by_severity[sev],
            sum(f.severity is sev and is_failing(run, f) for f in findings),
            sum(f.severity is sev and f.suppressed is not None for f in findings),
        )
        for sev in SEVERITIES
    )
    status = "errored" if s.errored else "failing" if s.failing else "passing"
    files = tuple(file_view(run, r, n) for n, r in enumerate(run.results, 1))
    return RunView(run, s, headline(run), status, by_severity, rule_counts(run), files)


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    view = run_view(run)
    out.write(page("ci.html.j2", view=view, title=f"provenance ci: {view.headline}"))
