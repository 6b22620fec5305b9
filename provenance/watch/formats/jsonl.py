"""JSON Lines: one finding per line, as `json` writes each (the pass itself is left out)."""

from __future__ import annotations

import json
from typing import TextIO

from provenance.watch.formats.json import finding_dict
from provenance.watch.model import Digest


def render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    for finding in digest.findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False) + "\n")
