"""SARIF 2.1.0, as GitHub code scanning takes it: one run, a rule per finding's rule, a result per finding.

Paths are repository-relative under %SRCROOT%, so GitHub places alerts on the file and line. Suppressed
findings stay in the log with a `suppressions` entry (GitHub shows them as closed) rather than vanishing,
so a baseline or an inline comment is auditable. Articles that could not be checked become tool
execution notifications: they are not findings, and code scanning would otherwise report them as alerts.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from provenance._version import __version__
from provenance.ci.formats.summary import article_url, copied_share, is_url, origin_url
from provenance.ci.model import ArticleResult, CiRun, Finding, Location
from provenance.fetch.settings import HOMEPAGE
from provenance.model import Severity
from provenance.rules import RULES, Rule
from provenance.rules_doc import anchor

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = f"{HOMEPAGE}/blob/main/docs/rules.md"
FINGERPRINT_KEY = "provenance/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# (kind, justification); anything not inline (a baseline) lives outside the file: "external"
_SUPPRESSION = {"inline": ("inSource", "a comment in the file suppresses this rule here")}
_EXTERNAL = ("external", "accepted in the baseline")


def _text(value: str) -> dict[str, str]:
    return {"text": value}


def _known_rule(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.summary}\n\nWhy it matters: {rule.rationale}\n\nExample: {rule.example}"
    help_markdown = (
        f"**What it checks.** {rule.summary}\n\n**Why it matters.** {rule.rationale}\n\n**Example.** {rule.example}\n\n"
        f"[{rule.id} in the rules reference]({RULES_DOC}#{anchor(rule)})"
    )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": _text(rule.summary),
        "fullDescription": _text(f"{rule.summary} {rule.rationale}"),
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": f"{RULES_DOC}#{anchor(rule)}",
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["attribution"], "severity": rule.severity.value},
    }


def _other_rule(finding: Finding) -> dict[str, Any]:
    """A rule outside RULES (a policy's own check): described from its first finding, so results never dangle."""
    title = f"{finding.rule} {finding.name}"
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": _text(title),
        "fullDescription": _text(f"{title}: a check of the project's provenance policy."),
        "help": {"text": f"{title}\n\nSee the policy documentation.", "markdown": f"`{title}`"},
        "helpUri": RULES_DOC,
        "defaultConfiguration": {"level": LEVEL[finding.severity]},
        "properties": {"tags": ["attribution", "policy"], "severity": finding.severity.value},
    }


def rules_of(run: CiRun) -> list[dict[str, Any]]:
    """Every built-in rule (so the tool's catalogue is whole), then any other rule a finding names."""
    entries = [_known_rule(r) for r in RULES]
    known = {r.id for r in RULES}
    for result in run.results:
        for finding in result.findings:
            if finding.rule not in known:
                known.add(finding.rule)
                entries.append(_other_rule(finding))
    return entries


def _artifact(path: str) -> dict[str, str]:
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(location: Location) -> dict[str, int]:
    region = {"startLine": location.line, "startColumn": location.column}
    region["endLine"] = location.end_line or location.line
    if location.end_column is not None:
        region["endColumn"] = location.end_column
    return region


def _location(location: Location) -> dict[str, Any]:
    if is_url(location.path):  # not a file of the repository: code scanning must not take it for one
        return {"logicalLocations": [{"fullyQualifiedName": location.path, "kind": "resource"}]}
    return {"physicalLocation": {"artifactLocation": _artifact(location.path), "region": _region(location)}}


def _properties(result: ArticleResult, finding: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {"severity": finding.severity.value, "source": result.source}
    if (url := article_url(result.report)) is not None:
        props["articleUrl"] = url
    if (url := origin_url(result.report)) is not None:
        props["originUrl"] = url
    if (share := copied_share(result.report)) is not None:
        props["copiedShare"] = share
    if result.report is not None:
        props["relation"] = result.report.relation.value
    if finding.evidence:
        props["evidence"] = list(finding.evidence)
    return props


def _result(result: ArticleResult, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVEL[finding.severity],
        "message": _text(finding.message),
        "locations": [_location(finding.location)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": _properties(result, finding),
    }
    if finding.suppressed is not None:
        kind, why = _SUPPRESSION.get(finding.suppressed, _EXTERNAL)
        entry["suppressions"] = [{"kind": kind, "justification": why}]
    return entry


def _notification(result: ArticleResult) -> dict[str, Any]:
    return {
        "level": "error",
        "message": _text(f"could not check {result.source}: {result.error}"),
        "locations": [_location(Location(result.location))],
        "descriptor": {"id": "provenance-check-failed"},
    }


def sarif_log(run: CiRun) -> dict[str, Any]:
    rules = rules_of(run)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_result(r, f, index) for r in run.results for f in r.findings]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "provenance",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not run.errors,
                        "toolExecutionNotifications": [_notification(r) for r in run.errors],
                    }
                ],
                # Python counts columns in code points; SARIF's default is UTF-16 code units.
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"failOn": run.fail_on.value if run.fail_on else "never"},
            }
        ],
    }


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    json.dump(sarif_log(run), out, indent=2, ensure_ascii=False)
    out.write("\n")
