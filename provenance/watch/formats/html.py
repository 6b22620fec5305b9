"""The HTML digest: one self-contained page, the new findings in a table, each linked to its section
with the copy's gaps and the side-by-side evidence of `check`'s HTML report (provenance/report/html.py,
whose templates, escaping and Content-Security-Policy it shares)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from provenance.report.html import ReportView, page, report_view, rule_url
from provenance.watch.formats.summary import headline, severity_label
from provenance.watch.model import Digest, Finding


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    id: str  # its section's id
    label: str  # severity, or "ok"
    report: ReportView | None


@dataclass(frozen=True, slots=True)
class DigestView:
    digest: Digest
    heading: str
    headline: str
    status: str  # "failing", "new", "clean"
    fail_on: str
    findings: tuple[FindingView, ...]


def digest_view(digest: Digest) -> DigestView:
    reports = digest.evidence or (None,) * len(digest.findings)
    views = tuple(
        FindingView(f, f"finding-{f.id}", severity_label(f), report_view(r, prefix=f"f{f.id}-") if r else None)
        for f, r in zip(digest.findings, reports, strict=True)
    )
    run = digest.run
    failing = run is not None and bool(run.failing)
    status = "failing" if failing else "new" if digest.findings else "clean"
    heading = "provenance watch" if run is not None else "provenance findings"
    fail_on = run.fail_on.value if run is not None and run.fail_on else "never"
    return DigestView(digest, heading, headline(digest), status, fail_on, views)


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    view = digest_view(digest)
    out.write(page("watch.html.j2", view=view, rule_url=rule_url, title=f"{view.heading}: {view.headline}"))
