"""The JSON output of `provenance ci` (docs/ci.schema.json): per article the same report as `check --format json`,
with the findings the policy made of its gaps, placed in the file; and a summary of the run."""

from __future__ import annotations

import json
from typing import Any, TextIO

from provenance._version import __version__
from provenance.ci.formats.summary import is_failing, summarize
from provenance.ci.model import ArticleResult, CiRun, Finding
from provenance.report.json import report_dict

SCHEMA = "https://provenance.readthedocs.io/schema/ci-1.json"
SCHEMA_VERSION = 1


def finding_dict(run: CiRun, finding: Finding) -> dict[str, Any]:
    where = finding.location
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": {
            "path": where.path,
            "line": where.line,
            "column": where.column,
            "end_line": where.end_line,
            "end_column": where.end_column,
        },
        "fingerprint": finding.fingerprint,
        "evidence": list(finding.evidence),
        "suppressed": finding.suppressed,
        "failing": is_failing(run, finding),
    }


def article_result_dict(run: CiRun, result: ArticleResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "location": result.location,
        "cached": result.cached,
        "error": result.error,
        "report": None if result.report is None else report_dict(result.report),
        "findings": [finding_dict(run, f) for f in result.findings],
    }


def run_dict(run: CiRun) -> dict[str, Any]:
    s = summarize(run)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "provenance", "version": __version__},
        "fail_on": run.fail_on.value if run.fail_on else "never",
        "summary": {
            "articles": s.articles,
            "cached": s.cached,
            "errored": s.errored,
            "with_findings": s.with_findings,
            "findings": s.counted,
            "by_severity": {sev.value: n for sev, n in s.by_severity.items()},
            "suppressed": {"inline": s.suppressed_inline, "baseline": s.suppressed_baseline},
            "failing": s.failing,
            "exit_code": run.exit_code,
        },
        "articles": [article_result_dict(run, r) for r in run.results],
    }


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    json.dump(run_dict(run), out, indent=2, ensure_ascii=False)
    out.write("\n")
