"""Settings a user writes: `.provenance.toml`, `provenance.toml`, or `[tool.provenance]` in `pyproject.toml`.

As ruff does it: the closest file to the working directory wins (looking up
through parent directories), `.provenance.toml` before `provenance.toml`
before `pyproject.toml` in one directory; `--config FILE` names one instead.
Precedence: built-in defaults < config file < environment < command-line flags.
Unknown keys are errors that name the key and the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenance.errors import ConfigError

FILENAMES = (".provenance.toml", "provenance.toml", "pyproject.toml")
SEVERITY_NAMES = ("info", "warning", "error", "never")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    index: str | None = None  # a SQLite path (relative to the config file) or a Redis URL
    fail_on: str | None = None
    shingle_size: int | None = None
    publishers: tuple[Mapping[str, Any], ...] = ()


def _table(path: Path) -> dict[str, Any] | None:
    """The provenance settings in `path`, or None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("provenance") if isinstance(tool, dict) else None
    return data


def find(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        for name in FILENAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
    return None


def _expect(path: Path, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ConfigError(f"{path}: {key} must be {what}")
    return value


def parse(path: Path, table: Mapping[str, Any]) -> Config:
    known = {"index", "fail-on", "shingle-size", "publishers"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    index = table.get("index")
    if index is not None:
        _expect(path, "index", index, str, "a path or a redis:// URL")
        if "://" not in index:
            index = str((path.parent / Path(index).expanduser()).resolve())
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITY_NAMES:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(SEVERITY_NAMES)}")
    size = table.get("shingle-size")
    if size is not None and not 1 <= _expect(path, "shingle-size", size, int, "a whole number") <= 20:
        raise ConfigError(f"{path}: shingle-size must be between 1 and 20")
    publishers = _expect(path, "publishers", table.get("publishers", []), list, "an array of [[publishers]] tables")
    for entry in publishers:
        _expect(path, "[[publishers]]", entry, dict, "a table")
    return Config(path, index, fail_on, size, tuple(publishers))


def load(explicit: str | None = None, start: Path | None = None) -> Config:
    """The config named by `explicit`, or the closest one to `start` (default: the working directory)."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"cannot read config {path}: no such file")
        table = _table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.provenance] table")
        return parse(path, table)
    found = find((start or Path.cwd()).resolve())
    if found is None:
        return Config()
    return parse(found, _table(found) or {})
