"""The terminal report: verdict, candidates, gaps and the matched passages side by side."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from provenance.model import Article, Match, Relation, Report, Severity
from provenance.origin.relation import candidate_relation

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
RELATION_STYLE = {
    Relation.VERBATIM: "bold red",
    Relation.PARTIAL: "red",
    Relation.REWRITE: "magenta",
    Relation.INDEPENDENT: "green",
    Relation.ORIGINAL: "bold green",
}
_CANDIDATE_STYLE = {r.value: style for r, style in RELATION_STYLE.items()}
_RELATION_TEXT = {
    Relation.VERBATIM: "copied word for word, whole",
    Relation.PARTIAL: "copies passages",
    Relation.REWRITE: "rewrites",
    Relation.INDEPENDENT: "an independent report of the same story",
    Relation.ORIGINAL: "no source found: this looks original",
}
_CONTEXT = 160  # characters shown around a passage
_MAX_PASSAGES = 3
_MAX_PASSAGE_CHARS = 600


def _label(article: Article) -> str:
    return article.publisher or article.site_name or article.canonical_url or article.url or article.source


def _date(article: Article) -> str:
    return f"{article.published:%Y-%m-%d %H:%M}" if article.published else "date unknown"


def verdict(report: Report) -> Panel:
    article = report.article
    lines = Text()
    lines.append(article.title or article.source, style="bold")
    lines.append(f"\n{article.source}", style="dim")
    lines.append(f"\nbyline: {article.byline or '-'}   published: {_date(article)}", style="dim")
    lines.append("\n\nRelation: ")
    lines.append(report.relation.value, style=RELATION_STYLE[report.relation])
    lines.append(f" ({_RELATION_TEXT[report.relation]})")
    if report.origin is not None:
        origin = report.origin
        lines.append("\nOrigin:   ")
        if origin.article is not None and origin.match is not None:
            page = origin.article
            lines.append(_label(page), style="bold")
            lines.append(f"  {page.canonical_url or page.url or page.source}", style="dim")
            lines.append(f"\n          {_date(page)}")
            shares = (f"   copied: {origin.match.copied_share:.0%} of the article"
                      f"   reproduced: {origin.match.reproduced_share:.0%} of the original")  # fmt: skip
        else:
            lines.append(origin.name or "the credited source", style="bold")
            lines.append("  known from credits: its own page was not among the candidates", style="dim")
            shares = ""
        lines.append(f"\nConfidence: {origin.confidence:.0%} (copying {origin.copying:.0%}"
                     f" x direction {origin.direction:.0%}){shares}")  # fmt: skip
        for ev in origin.evidence:
            mark, style = ("+", "green") if ev.weight > 0 else ("-", "red") if ev.weight < 0 else ("·", "dim")
            lines.append(f"\n  {mark} ", style=style)
            lines.append(f"{ev.kind}: {ev.detail}")
    credits = ", ".join(f"{c.name} ({c.kind})" for c in article.credits) or "none"
    lines.append(f"\n\nCredits on the page: {credits}", style="dim")
    for note in article.notes:
        lines.append(f"\nNote: {note}", style="dim")
    return Panel(lines, title="provenance", title_align="left", border_style=RELATION_STYLE[report.relation])


def candidates(report: Report) -> Table:
    table = Table(title="Candidates", title_justify="left", expand=False)
    for column in ("source", "published", "via", "relation", "copied", "reproduced", "jaccard"):
        table.add_column(column, justify="right" if column in {"copied", "reproduced", "jaccard"} else "left")
    origin = report.origin.match if report.origin else None
    for match in report.matches:
        cand = match.candidate.article
        relation = candidate_relation(report, match)
        table.add_row(
            Text(_label(cand), style="bold" if match is origin else ""),
            f"{cand.published:%Y-%m-%d}" if cand.published else "-",
            match.candidate.found_by,
            Text(relation, style=_CANDIDATE_STYLE.get(relation, "cyan")),
            f"{match.copied_share:.0%}",
            f"{match.reproduced_share:.0%}",
            f"{match.jaccard:.2f}",
        )
    return table


def gaps(report: Report) -> RenderableType:
    if not report.gaps:
        return Text("No attribution gaps.", style="green")
    rows = []
    for gap in report.gaps:
        line = Text()
        line.append(f"{gap.rule} ", style=SEVERITY_STYLE[gap.severity])
        line.append(f"{gap.name} ", style="bold")
        line.append(f"[{gap.severity.value}] ", style=SEVERITY_STYLE[gap.severity])
        line.append(gap.message)
        if gap.paragraph is not None:
            line.append(f"  (paragraph {gap.paragraph + 1})", style="dim")
        for item in gap.evidence:
            line.append(f"\n    {item[:200]}", style="dim")
        rows.append(line)
    return Group(Text("Attribution gaps", style="bold underline"), *rows)


def _excerpt(text: str, start: int, end: int) -> Text:
    """The passage highlighted, with a little context, long passages cut in the middle."""
    before = text[max(0, start - _CONTEXT) : start]
    body = text[start:end]
    if len(body) > _MAX_PASSAGE_CHARS:
        half = _MAX_PASSAGE_CHARS // 2
        body = f"{body[:half]} … {body[-half:]}"
    out = Text("…" if start > _CONTEXT else "", style="dim")
    out.append(before, style="dim")
    out.append(body, style="bold yellow")
    out.append(text[end : end + _CONTEXT], style="dim")
    return out


def passages(report: Report) -> RenderableType | None:
    match: Match | None = report.origin.match if report.origin else None
    which = "origin"
    if match is None and report.origin is not None and report.siblings:
        match, which = report.siblings[0], "a page carrying the same credited text"
    if match is None or not match.passages:
        return None
    table = Table(title=f"Matched passages (article | {which})", title_justify="left", show_lines=True, expand=True)
    table.add_column("article", ratio=1)
    table.add_column(_label(match.candidate.article), ratio=1)
    article_text, origin_text = report.article.text, match.candidate.article.text
    for p in match.passages[:_MAX_PASSAGES]:
        table.add_row(
            _excerpt(article_text, p.article_start, p.article_end),
            _excerpt(origin_text, p.candidate_start, p.candidate_end),
        )
    if len(match.passages) > _MAX_PASSAGES:
        table.caption = f"{len(match.passages) - _MAX_PASSAGES} more passage(s) in --format json"
    return table


_STATUS_STYLE = {"ok": "green", "failed": "red", "timed-out": "yellow", "stopped": "yellow", "skipped": "dim"}


def discovery(report: Report) -> RenderableType:
    """One line per strategy: what it found, or why it failed, was cut off or skipped."""
    lines = Text("Discovery", style="bold underline")
    for run in report.discovery:
        lines.append(f"\n{run.name:<10} ")
        lines.append(f"{run.status:<9}", style=_STATUS_STYLE.get(run.status, ""))
        lines.append(f" {run.found} found  {run.seconds:.1f} s")
        if run.detail:
            lines.append(f"  {run.detail}", style="dim")
        for note in run.notes[:3]:
            lines.append(f"\n    {note[:200]}", style="dim")
        if len(run.notes) > 3:
            lines.append(f"\n    ... {len(run.notes) - 3} more in --format json", style="dim")
    return lines


def report_renderable(report: Report) -> RenderableType:
    parts: list[RenderableType] = [verdict(report)]
    if report.matches:
        parts.append(candidates(report))
    if report.discovery:
        parts.append(Padding(discovery(report), (1, 0, 0, 0)))
    parts.append(Padding(gaps(report), (1, 0, 0, 0)))
    if (side_by_side := passages(report)) is not None:
        parts.append(side_by_side)
    return Group(*parts)


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    """`color` None: decide from the stream and NO_COLOR / FORCE_COLOR, as rich does."""
    console = Console(file=out, force_terminal=color, no_color=True if color is False else None)
    console.print(report_renderable(report))
