"""Text from strangers made inert before any output shows it.

A page, a server's reason phrase or a file name can carry terminal escapes (`ESC ] 52` writes
the user's clipboard, `ESC [ 2 J` clears the screen), C1 controls some terminals obey, direction
overrides that reorder what a reader sees, and lone surrogates that no output encoding accepts.
Every renderer gets its data through `inert_data`, so none of them has to remember.

Each such character becomes one visible character (C0 controls their Control Pictures glyph,
`ESC` -> `␛`; the others U+FFFD), so offsets into a text (a passage's start and end) still
point at the same words. Newline and tab are kept.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, TypeVar

_KEEP = frozenset({0x09, 0x0A})
_REPLACEMENT = "\ufffd"
_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in _KEEP}
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({c: _REPLACEMENT for c in range(0x80, 0xA0)})  # C1 controls
# Direction embeddings, overrides and isolates, and the line and paragraph separators.
_TABLE.update({c: _REPLACEMENT for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)})
_TABLE.update({c: _REPLACEMENT for c in range(0xD800, 0xE000)})  # lone surrogates

T = TypeVar("T")


def inert(text: str) -> str:
    """`text` with every control, direction override and lone surrogate shown as one visible character."""
    return text.translate(_TABLE)


def inert_data(value: T) -> T:
    """A copy of `value` (a Report, a CiRun: frozen dataclasses, tuples, lists, dicts) with every string inert.

    Shared objects stay shared (a report's origin match is one of its matches, and renderers
    compare them by identity), and objects holding no string to change are returned as they are.
    """
    result: T = _walk(value, {})
    return result


def _walk(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, Enum) or value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        cleaned = inert(value)
        return value if cleaned == value else cleaned
    key = id(value)
    if key in memo:
        return memo[key]
    found: Any = value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _walk(old, memo)
            if new is not old:
                changes[f.name] = new
        found = dataclasses.replace(value, **changes) if changes else value
    elif isinstance(value, tuple | list):
        items = [_walk(item, memo) for item in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            found = type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    elif isinstance(value, dict):
        pairs = {_walk(k, memo): _walk(v, memo) for k, v in value.items()}
        if any(k not in value or pairs[k] is not value[k] for k in pairs):
            found = pairs
    memo[key] = found
    return found
