"""JSON from strangers (JSONL records, baselines, API answers), parsed with a depth limit.

`json.loads` recurses once per level of nesting, so `[[[[...` a few thousand deep raises
RecursionError from wherever it is called. Here the nesting is counted first, by a scan that
skips strings, and anything deeper than `max_depth` is a `TooDeep` (a ValueError, as
`json.loads` raises for bad JSON), before a single object is built. Callers still check the
types of what they get.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # no record, baseline or API answer this program reads comes near it
# A string, or a bracket outside strings. A string left open runs to the end of the text (the text
# is not JSON then, and json.loads says so): every string start matches, so no scan is repeated.
_TOKENS = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


class TooDeep(ValueError):
    pass


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads(text)`; TooDeep when arrays and objects nest more than `max_depth` levels."""
    if "[" in text or "{" in text:
        level = 0
        for token in _TOKENS.finditer(text):
            mark = token.group()
            if mark in "[{":
                level += 1
                if level > max_depth:
                    raise TooDeep(f"nested more than {max_depth} levels deep")
            elif mark in "]}":
                level -= 1
    try:
        return json.loads(text)
    except RecursionError:  # only with a max_depth near the interpreter's own limit
        raise TooDeep(f"nested too deeply for {max_depth} levels") from None
