"""Finding and reading the settings file: `.provenance.toml`, `provenance.toml`, or `[tool.provenance]`
in `pyproject.toml` (docs/configuration.md).

As ruff does it: the closest file to the working directory wins (looking up through parent
directories), `.provenance.toml` before `provenance.toml` before `pyproject.toml` in one directory;
`--config FILE` names one instead. Unknown keys are errors that name the key and the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from provenance.config.partners import partner
from provenance.config.tables import CiPolicy, Config, Discovery
from provenance.config.values import (
    SEVERITY_NAMES,
    expect,
    flag,
    number,
    path_value,
    strings,
    web_address,
    whole,
)
from provenance.config.watch import parse_watch
from provenance.errors import ConfigError
from provenance.files import Unreadable, read_regular

FILENAMES = (".provenance.toml", "provenance.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a settings file is a page of TOML; a bigger one is a mistake or an attack


# key -> (accepts the value, what it must be). The Discovery field is the key with "-" as "_";
# a new key needs an entry here and a field there.
DISCOVERY_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "allow-private": (flag, "true or false"),
    "ignore-robots": (flag, "true or false"),
    "cache": (flag, "true or false"),
    "cache-dir": (path_value, "a directory path (without control characters)"),
    "cache-ttl": (number(0, 10**9), "a number of seconds"),
    "delay": (number(0, 600), "a number of seconds between 0 and 600"),
    "timeout": (number(0.01, 600), "a number of seconds between 0.01 and 600"),
    "fetch-deadline": (number(0.1, 3600), "a number of seconds between 0.1 and 3600"),
    "attempts": (whole(1, 10), "a whole number between 1 and 10"),
    "host-concurrency": (whole(1, 2), "1 or 2"),
    "concurrency": (whole(1, 64), "a whole number between 1 and 64"),
    "strategies": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of strategy names (links, publisher, search, wayback)",
    ),
    "searxng": (web_address, "an http(s):// URL of a SearXNG instance"),
    "wayback": (web_address, "an http(s):// URL of a CDX API"),
    "budget": (number(0.1, 3600), "a number of seconds between 0.1 and 3600"),
    "max-fetches": (whole(0, 10_000), "a whole number between 0 and 10000"),
    "window-hours": (number(1, 24 * 365), "a number of hours between 1 and 8760"),
    "max-pages": (whole(1, 100), "a whole number between 1 and 100"),
}


def _table(path: Path) -> dict[str, Any] | None:
    """The provenance settings in `path`, or None when a pyproject.toml has none."""
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except Unreadable as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise ConfigError(f"cannot read config {path}: values nested too deeply") from None
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "provenance" not in tool:
        return None
    if not isinstance(tool["provenance"], dict):
        raise ConfigError(f"{path}: tool.provenance must be a table ([tool.provenance])")
    table: dict[str, Any] = tool["provenance"]
    return table


def find(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        for name in FILENAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
    return None


def parse(path: Path, table: Mapping[str, Any]) -> Config:
    known = {"index", "fail-on", "shingle-size", "publishers", "discovery", "watch", *CI_KEYS}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    index = table.get("index")
    if index is not None:
        if not path_value(index):
            raise ConfigError(f"{path}: index must be a path or a redis:// URL (without control characters)")
        if "://" not in index:
            index = str((path.parent / Path(index).expanduser()).resolve())
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITY_NAMES:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(SEVERITY_NAMES)}")
    size = table.get("shingle-size")
    if size is not None and not 1 <= expect(path, "shingle-size", size, int, "a whole number") <= 20:
        raise ConfigError(f"{path}: shingle-size must be between 1 and 20")
    publishers = expect(path, "publishers", table.get("publishers", []), list, "an array of [[publishers]] tables")
    for entry in publishers:
        expect(path, "[[publishers]]", entry, dict, "a table")
    discovery = _discovery(path, table.get("discovery", {}))
    ci = _ci_policy(path, table)
    watch = parse_watch(path, table.get("watch", {}), ci.own_domains)
    return Config(path, index, fail_on, size, tuple(publishers), discovery, ci, watch)


CI_KEYS = ("select", "ignore", "severity", "partners", "max-copied-share", "own-domains", "exclude")


def _ci_policy(path: Path, table: Mapping[str, Any]) -> CiPolicy:
    select = strings(path, "select", table["select"]) if "select" in table else None
    severity = expect(path, "severity", table.get("severity", {}), dict, "a table ([severity])")
    for rule, level in severity.items():
        if level not in ("info", "warning", "error"):
            raise ConfigError(f"{path}: severity.{rule} must be info, warning or error")
    share = table.get("max-copied-share")
    if share is not None and not number(0, 1)(share):
        raise ConfigError(f"{path}: max-copied-share must be a number between 0 and 1 (a share of the text)")
    partners = expect(path, "partners", table.get("partners", []), list, "an array of [[partners]] tables")
    return CiPolicy(
        select=select,
        ignore=strings(path, "ignore", table.get("ignore", [])),
        severity=tuple(severity.items()),
        partners=tuple(partner(path, entry) for entry in partners),
        max_copied_share=None if share is None else float(share),
        own_domains=tuple(
            d.lower().removeprefix("www.") for d in strings(path, "own-domains", table.get("own-domains", []))
        ),
        exclude=strings(path, "exclude", table.get("exclude", [])),
    )


def _discovery(path: Path, table: Any) -> Discovery:
    expect(path, "discovery", table, dict, "a table ([discovery])")
    unknown = sorted(set(table) - set(DISCOVERY_KEYS))
    if unknown:
        known = ", ".join(sorted(DISCOVERY_KEYS))
        raise ConfigError(f"{path}: unknown key 'discovery.{unknown[0]}' (known: {known})")
    values: dict[str, Any] = {}
    for key, value in table.items():
        accepts, what = DISCOVERY_KEYS[key]
        if not accepts(value):
            raise ConfigError(f"{path}: discovery.{key} must be {what}")
        if key == "cache-dir":
            value = str((path.parent / Path(value).expanduser()).resolve())
        values[key.replace("-", "_")] = value
    return Discovery(**values)


def load(explicit: str | None = None, start: Path | None = None) -> Config:
    """The config named by `explicit`, or the closest one to `start` (default: the working directory)."""
    if explicit is not None:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"cannot read config {path}: no such file")
        table = _table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.provenance] table")
        return parse(path, table)
    found = find((start or Path.cwd()).resolve())
    if found is None:
        return Config()
    return parse(found, _table(found) or {})
