"""The JSON digest: the pass and its new findings, or a listing of findings (docs/watch.schema.json)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from provenance._version import __version__
from provenance.watch.model import Digest, Finding, FindingGap, Pass

SCHEMA = "https://provenance.readthedocs.io/schema/watch-1.json"
SCHEMA_VERSION = 1


def _when(value: datetime) -> str:
    return value.isoformat()


def finding_dict(finding: Finding) -> dict[str, Any]:
    copy = finding.copy
    return {
        "id": finding.id,
        "status": finding.status.value,
        "note": finding.note,
        "severity": finding.severity.value if finding.severity else None,
        "rules": list(copy.rules),
        "site": copy.site,
        "page_url": copy.page_url,
        "title": copy.title,
        "original_url": copy.original_url,
        "original_title": copy.original_title,
        "relation": copy.relation,
        "copied_share": copy.copied_share,
        "reproduced_share": copy.reproduced_share,
        "partner": copy.partner,
        "found_by": copy.found_by,
        "first_seen": _when(finding.first_seen),
        "last_seen": _when(finding.last_seen),
        "gaps": [gap_dict(g) for g in copy.gaps],
    }


def gap_dict(gap: FindingGap) -> dict[str, Any]:
    return {
        "rule": gap.rule,
        "name": gap.name,
        "severity": gap.severity.value,
        "message": gap.message,
        "evidence": list(gap.evidence),
    }


def pass_dict(run: Pass) -> dict[str, Any]:
    return {
        "started": _when(run.started),
        "finished": _when(run.finished),
        "stopped": run.stopped,
        "indexed": run.indexed,
        "checked": run.checked,
        "fail_on": run.fail_on.value if run.fail_on else "never",
        "failing": len(run.failing),
        "exit_code": run.exit_code,
        "sources": [
            {"url": s.url, "role": s.role, "status": s.status, "listed": s.listed, "new": s.new, "detail": s.detail}
            for s in run.sources
        ],
        "errors": [{"url": e.url, "found_by": e.found_by, "error": e.error} for e in run.errors],
        "notes": list(run.notes),
    }


def digest_dict(digest: Digest) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "provenance", "version": __version__},
        "pass": pass_dict(digest.run) if digest.run is not None else None,
        "findings": [finding_dict(f) for f in digest.findings],
    }


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    json.dump(digest_dict(digest), out, indent=2, ensure_ascii=False)
    out.write("\n")
