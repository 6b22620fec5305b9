"""A Markdown digest, for a job summary, an issue or a chat: a table of findings, then each one's gaps.

Page text is escaped for Markdown and HTML as `ci`'s Markdown escapes it (no markup, no mention, one line).
"""

from __future__ import annotations

from typing import TextIO

from provenance import urls
from provenance.ci.formats.markdown import escape
from provenance.watch.formats.summary import headline, severity_label, shares
from provenance.watch.model import Digest, Finding


def link(url: str, label: str) -> str:
    """A link when the URL is a web address Markdown cannot misread, else the label and the URL as text."""
    if urls.is_web_url(url) and not any(c in url for c in "()<>[] \\`"):
        return f"[{escape(label)}]({url})"
    return f"{escape(label)} ({escape(url)})"


def row(finding: Finding) -> str:
    copy = finding.copy
    cells = [
        f"#{finding.id}",
        severity_label(finding),
        escape(copy.site),
        link(copy.page_url, copy.title or copy.page_url),
        link(copy.original_url, copy.original_title or copy.original_url),
        escape(copy.relation),
        shares(finding),
        " ".join(copy.rules) or "credited",
        finding.status.value,
    ]
    return "| " + " | ".join(cells) + " |"


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    out.write("## provenance watch\n\n" if digest.run is not None else "## provenance findings\n\n")
    out.write(escape(headline(digest)) + "\n")
    if digest.findings:
        out.write("\n| # | severity | site | page | copies our | relation | shares | rules | status |\n")
        out.write("|---|---|---|---|---|---|---|---|---|\n")
        for finding in digest.findings:
            out.write(row(finding) + "\n")
        for finding in digest.findings:
            if finding.copy.gaps:
                out.write(f"\n**#{finding.id}** {escape(finding.copy.page_url)}\n\n")
                for gap in finding.copy.gaps:
                    out.write(f"- `{gap.rule}` {gap.name} ({gap.severity.value}): {escape(gap.message)}\n")
    run = digest.run
    if run is not None and (run.errors or run.notes or any(s.status == "failed" for s in run.sources)):
        out.write("\n**Problems** (the pass went on)\n\n")
        for source in run.sources:
            if source.status == "failed":
                out.write(f"- source {escape(source.url)}: {escape(source.detail)}\n")
        for error in run.errors:
            out.write(f"- {escape(error.error)}\n")
        for note in run.notes:
            out.write(f"- {escape(note)}\n")
