"""Baselines: the findings a team accepted once, so that `ci --baseline` fails only on new ones.

A finding is remembered by its fingerprint: the rule, the file's path and the normalised text it
points at (the copied paragraph or the credit), never its line, so edits elsewhere in the file
keep it matched. The file is JSON with a version; see docs/ci-policy.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from provenance import safejson
from provenance.ci.model import ArticleResult, CiRun, Finding
from provenance.errors import ConfigError
from provenance.files import Unreadable, read_regular
from provenance.normalize import normalize_text

VERSION = 1
KIND = "provenance-baseline"
MAX_BYTES = 64 * 1024 * 1024  # some 300,000 findings: a larger file is not a baseline


def fingerprint(rule: str, path: str, anchor_text: str, occurrence: int = 0) -> str:
    """Stable across line moves; `occurrence` tells apart findings of one rule on the same text."""
    text = " ".join(normalize_text(anchor_text).split())
    data = f"{rule}\0{path}\0{text}\0{occurrence}".encode()
    return hashlib.sha256(data).hexdigest()[:32]


def write(run: CiRun, path: Path) -> int:
    """Write the counted findings of `run` (inline-suppressed ones need no baseline); how many."""
    entries = [
        {"fingerprint": f.fingerprint, "rule": f.rule, "path": f.location.path, "message": f.message}
        for result in run.results
        for f in result.findings
        if f.suppressed != "inline"
    ]
    data = {"kind": KIND, "version": VERSION, "findings": entries}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> frozenset[str]:
    """The fingerprints of a baseline file; a ConfigError (one line, exit 2) when it is not one."""
    try:
        raw = read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from None
    try:
        data = safejson.loads(raw.decode("utf-8"))
    except safejson.TooDeep as exc:
        raise ConfigError(f"baseline {path} is not a baseline: {exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ConfigError(f"{path} is not a provenance baseline (write one with `provenance baseline`)")
    if data.get("version") != VERSION:
        raise ConfigError(f"baseline {path} has version {data.get('version')!r}; this provenance reads {VERSION}")
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(
        isinstance(f, dict) and isinstance(f.get("fingerprint"), str) for f in findings
    ):
        raise ConfigError(f"baseline {path}: findings must be a list of objects with a fingerprint")
    return frozenset(f["fingerprint"] for f in findings)


def mark(results: Iterable[ArticleResult], accepted: frozenset[str]) -> tuple[ArticleResult, ...]:
    """Results with counted findings found in the baseline marked suppressed="baseline"."""

    def marked(finding: Finding) -> Finding:
        if finding.suppressed is None and finding.fingerprint in accepted:
            return replace(finding, suppressed="baseline")
        return finding

    return tuple(replace(r, findings=tuple(marked(f) for f in r.findings)) for r in results)
