"""Checks of the values a settings file holds: each returns the value or raises a ConfigError that
names the key and the file."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from provenance import urls
from provenance.errors import ConfigError

SEVERITY_NAMES = ("info", "warning", "error", "never")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d|w)")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def number(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= high


def whole(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def flag(value: Any) -> bool:
    return isinstance(value, bool)


def web_address(value: Any) -> bool:
    return isinstance(value, str) and urls.is_web_url(value)


def path_value(value: Any) -> bool:
    """A path the file system can take: a NUL (or another control character) makes every call fail."""
    return isinstance(value, str) and bool(value) and value.isprintable()


def expect(path: Path, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ConfigError(f"{path}: {key} must be {what}")
    return value


def strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def unknown(path: Path, where: str, table: Mapping[str, Any], known: tuple[str, ...]) -> None:
    if unknown := sorted(set(table) - set(known)):
        raise ConfigError(f"{path}: unknown key '{where}{unknown[0]}' (known: {', '.join(known)})")


def web_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    found = strings(path, key, value)
    if bad := [v for v in found if not web_address(v)]:
        raise ConfigError(f"{path}: {key}: {bad[0][:200]!r} is not an http(s):// URL")
    return found


def duration(value: Any) -> float | None:
    """Seconds from a number or "90s", "15m", "6h", "7d", "2w"; None when it is neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())):
        return float(match.group(1)) * _UNITS[match.group(2)]
    return None


def since_value(value: Any) -> datetime | timedelta | None:
    """A date ("2026-03-01", a datetime; UTC when it has no zone) or a duration back from now ("7d")."""
    seconds = duration(value) if isinstance(value, str) else None
    if seconds is not None:
        return timedelta(seconds=seconds)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    if hasattr(value, "isoformat") and hasattr(value, "year"):  # a TOML local date
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None
