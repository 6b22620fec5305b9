"""CSV for a spreadsheet: one finding per row.

Titles and URLs come from pages, and a spreadsheet runs a cell starting with `=`, `+`, `-`, `@` (or a
tab or carriage return) as a formula: such cells get a leading apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from provenance.watch.formats.json import finding_dict
from provenance.watch.model import Digest

COLUMNS = (
    "id", "status", "severity", "rules", "site", "page_url", "title", "original_url", "original_title",
    "relation", "copied_share", "reproduced_share", "partner", "found_by", "first_seen", "last_seen", "note",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if isinstance(value, list):
        value = " ".join(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for finding in digest.findings:
        row = finding_dict(finding)
        writer.writerow([cell(row[column]) for column in COLUMNS])
