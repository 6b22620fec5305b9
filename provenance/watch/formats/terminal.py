"""The table for a terminal (rich): the findings, then one summary line. What went wrong in a pass
(sources that failed, pages not read) the CLI writes to stderr, as logs; `detail` shows one finding.

Every text goes in as a rich `Text`, never as markup: a page title with "[bold]" in it stays text.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from provenance.watch.formats.summary import headline, severity_label, shares
from provenance.watch.model import Digest, Finding

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan", "ok": "green"}


def _table(findings: tuple[Finding, ...], listing: bool) -> Table:
    table = Table(show_lines=False, expand=False, pad_edge=False)
    for column in ("#", "severity", "site", "page", "copies our", "relation", "shares", "rules"):
        table.add_column(column, overflow="fold")
    if listing:
        table.add_column("status")
    for finding in findings:
        copy = finding.copy
        label = severity_label(finding)
        cells = [
            Text(str(finding.id)),
            Text(label, style=STYLES[label]),
            Text(copy.site),
            Text(f"{copy.title or ''}\n{copy.page_url}".strip()),
            Text(f"{copy.original_title or ''}\n{copy.original_url}".strip()),
            Text(copy.relation),
            Text(shares(finding)),
            Text("\n".join(f"{g.rule} {g.name}" for g in copy.gaps) or "credited"),
        ]
        if listing:
            cells.append(Text(finding.status.value))
        table.add_row(*cells)
    return table


def _console(out: TextIO, color: bool | None) -> Console:
    return Console(file=out, force_terminal=color, no_color=color is False, width=None if out.isatty() else 160)


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    console = _console(out, color)
    if digest.findings:
        console.print(_table(digest.findings, listing=digest.run is None))
    console.print(Text(headline(digest), style="bold"))


def detail(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    """Each finding in full: where, what of ours, how much, when, and every gap with its evidence."""
    console = _console(out, color)
    for finding in digest.findings:
        copy = finding.copy
        label = severity_label(finding)
        head = Text(f"#{finding.id} ", style="bold")
        head.append(label, style=STYLES[label])
        head.append(f"  {finding.status.value}{f': {finding.note}' if finding.note else ''}")
        console.print(head)
        rows = [
            ("page", f"{copy.title or ''} {copy.page_url}".strip()),
            ("site", copy.site + (f" (licensed partner {copy.partner})" if copy.partner else "")),
            ("copies our", f"{copy.original_title or ''} {copy.original_url}".strip()),
            ("relation", f"{copy.relation}: {shares(finding)}"),
            ("found by", copy.found_by),
            ("seen", f"first {finding.first_seen:%Y-%m-%d %H:%M} UTC, last {finding.last_seen:%Y-%m-%d %H:%M} UTC"),
        ]
        for name, value in rows:
            console.print(Text(f"  {name:<11}{value}"))
        for gap in copy.gaps:
            line = Text(f"  {gap.rule} {gap.name} ")
            line.append(gap.severity.value, style=STYLES[gap.severity.value])
            line.append(f": {gap.message}")
            console.print(line)
            for item in gap.evidence:
                console.print(Text(f"      | {' '.join(item.split())}", style="dim"))
        if not copy.gaps:
            console.print(Text("  credited and linked as the policy asks", style=STYLES["ok"]))
