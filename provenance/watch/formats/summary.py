"""The counts every format reports the same way."""

from __future__ import annotations

from provenance.watch.model import Digest, Finding, Pass


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def severity_label(finding: Finding) -> str:
    """The worst gap's severity; "ok" for a copy that credits and links us as the policy asks."""
    return finding.severity.value if finding.severity else "ok"


def by_severity(findings: tuple[Finding, ...]) -> str:
    counts = {label: sum(severity_label(f) == label for f in findings) for label in ("error", "warning", "info", "ok")}
    return ", ".join(f"{n} {label}" for label, n in counts.items() if n)


def headline(digest: Digest) -> str:
    findings = digest.findings
    if digest.run is None:
        return f"{plural(len(findings), 'finding')}" + (f" ({by_severity(findings)})" if findings else "") + "."
    counted = f"{plural(len(findings), 'new finding')} ({by_severity(findings)})" if findings else "No new findings"
    return f"{counted}; {sources_line(digest.run)}."


def sources_line(run: Pass) -> str:
    statuses = [s.status for s in run.sources]
    parts = [f"{statuses.count(status)} {status}" for status in ("read", "unchanged", "failed") if status in statuses]
    text = f"{plural(run.checked, 'page')} checked, {run.indexed} of ours indexed"
    text += f"; sources: {', '.join(parts)}" if parts else ""
    if run.errors:
        text += f"; {plural(len(run.errors), 'page')} could not be read"
    if run.stopped:
        text += "; stopped before the end"
    return text


def shares(finding: Finding) -> str:
    copy = finding.copy
    return f"{copy.copied_share:.0%} of the page, {copy.reproduced_share:.0%} of ours"
