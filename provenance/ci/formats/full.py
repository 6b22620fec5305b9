"""The terminal report of a CI run: per article with something to say, a header and its findings; then a summary.

Articles without findings or errors are only counted, as ruff lists only files with problems: a run over
a thousand clean articles should fit on a screen.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.text import Text

from provenance.ci.formats.summary import (
    SEVERITIES,
    copied_share,
    headline,
    in_order,
    is_failing,
    one_line,
    origin_url,
    printable,
    summarize,
)
from provenance.ci.model import ArticleResult, CiRun, Finding
from provenance.report.full import RELATION_STYLE, SEVERITY_STYLE


def _header(result: ArticleResult) -> Text:
    line = Text()
    line.append(printable(result.location), style="bold")
    if result.cached:
        line.append("  (cached)", style="dim")
    report = result.report
    if report is None:
        return line
    line.append("  ")
    line.append(report.relation.value, style=RELATION_STYLE[report.relation])
    if (origin := origin_url(report)) is not None:
        line.append(f" of {printable(origin)}")
    if (share := copied_share(report)) is not None:
        line.append(f"  {share:.0%} copied", style="dim")
    return line


def _finding(run: CiRun, finding: Finding) -> Text:
    where = finding.location
    line = Text(f"  {where.line}:{where.column} ", style="dim")
    if finding.suppressed is not None:
        line.append(
            f"{finding.rule} {finding.name} [{finding.severity.value}] {one_line(finding.message)}", style="dim"
        )
        line.append(f"  suppressed ({finding.suppressed})", style="dim italic")
        return line
    line.append(f"{finding.rule} ", style=SEVERITY_STYLE[finding.severity])
    line.append(f"{finding.name} ", style="bold")
    line.append(f"[{finding.severity.value}] ", style=SEVERITY_STYLE[finding.severity])
    line.append(one_line(finding.message))
    if is_failing(run, finding):
        line.append("  fails", style="bold red")
    for item in finding.evidence[:2]:
        line.append(f"\n      {one_line(item)[:200]}", style="dim")
    return line


def _article(run: CiRun, result: ArticleResult) -> RenderableType:
    parts: list[RenderableType] = [_header(result)]
    if result.error is not None:
        parts.append(Text(f"  error: {one_line(result.error)}", style="bold red"))
    parts.extend(_finding(run, f) for f in in_order(result.findings))
    parts.append(Text(""))
    return Group(*parts)


def _summary(run: CiRun) -> Text:
    s = summarize(run)
    text = Text(headline(run), style="bold")
    text.append(f"\n  articles: {s.articles} checked, {s.cached} from cache, {s.errored} errored", style="")
    text.append("\n  findings: ")
    for i, sev in enumerate(SEVERITIES):
        text.append(", " if i else "")
        text.append(f"{s.by_severity[sev]} {sev.value}", style=SEVERITY_STYLE[sev] if s.by_severity[sev] else "")
    text.append(f"; {s.suppressed} suppressed ({s.suppressed_inline} inline, {s.suppressed_baseline} baseline)")
    fail_on = run.fail_on.value if run.fail_on else "never"
    text.append(f"\n  failing: {s.failing} at or above fail-on {fail_on}", style="bold red" if s.failing else "green")
    return text


def run_renderable(run: CiRun) -> RenderableType:
    shown = [_article(run, r) for r in run.results if r.findings or r.error is not None]
    return Group(*shown, _summary(run))


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    """`color` None: decide from the stream and NO_COLOR / FORCE_COLOR, as rich does."""
    console = Console(file=out, force_terminal=color, no_color=True if color is False else None, highlight=False)
    # a CI log or a file is read with grep, not at a width: only a terminal wraps
    console.print(run_renderable(run), soft_wrap=not console.is_terminal)
