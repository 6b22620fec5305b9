"""One line per gap, like a compiler: `source:paragraph: PRV101 name message`."""

from __future__ import annotations

from typing import TextIO

from provenance.model import Report


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    source = report.article.source
    for gap in report.gaps:
        where = f"{source}:{gap.paragraph + 1}" if gap.paragraph is not None else source
        out.write(f"{where}: {gap.rule} {gap.name} [{gap.severity.value}] {gap.message}\n")
    for note in report.article.notes:
        out.write(f"{source}: note: {note}\n")
    for run in report.discovery:
        if run.status in {"failed", "timed-out", "stopped"}:
            out.write(f"{source}: discovery {run.name} {run.status}: {run.detail}\n")
    origin = report.origin
    if origin is None:
        label = "none"
    elif origin.article is None:
        label = f"{origin.name} (from credits)"
    else:
        label = origin.article.canonical_url or origin.article.url or origin.article.source
    out.write(f"{source}: relation={report.relation.value} origin={label} gaps={len(report.gaps)}\n")
