"""[[partners]] and [[watch.partners]]: publishers whose copies are licensed, and the credit they owe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provenance.config.tables import Partner
from provenance.config.values import expect, unknown
from provenance.errors import ConfigError

PARTNER_KEYS = ("name", "credit")
CREDIT_KEYS = ("text", "link", "position")
POSITIONS = ("top", "bottom", "any")


def partner(path: Path, entry: Any, where: str = "partners", default_text: str | None = None) -> Partner:
    """A [[partners]] entry; `default_text` is the credit wording when the entry gives none (default: its
    name, the outlet we credit; [[watch.partners]] credit us, so theirs is our name)."""
    expect(path, f"[[{where}]]", entry, dict, "a table")
    unknown(path, f"{where}.", entry, PARTNER_KEYS)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{path}: every [[{where}]] entry needs a name")
    credit = expect(path, f"{where}.{name}.credit", entry.get("credit", {}), dict, "a table")
    unknown(path, f"{where}.credit.", credit, CREDIT_KEYS)
    text = credit.get("text", default_text or name)
    text = expect(path, f"{where}.{name}.credit.text", text, str, "a string")
    if not text.strip():
        raise ConfigError(f"{path}: {where}.{name}.credit.text must not be empty")
    link = expect(path, f"{where}.{name}.credit.link", credit.get("link", False), bool, "true or false")
    position = credit.get("position", "any")
    if position not in POSITIONS:
        raise ConfigError(f"{path}: {where}.{name}.credit.position must be one of {', '.join(POSITIONS)}")
    return Partner(name, text, link, position)
